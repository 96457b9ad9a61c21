using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Payments.Charts.Tests;

/// <summary>What can be checked of the images and skaffold.yaml without a container engine.</summary>
public sealed partial class ImagesAndSkaffoldTests
{
    private static readonly string[] DockerfilePaths =
    [
        "services/Payments.Api/Dockerfile", "services/Ledger/Dockerfile", "services/Settlement/Dockerfile",
        "services/Audit/Dockerfile", "operator/Dockerfile",
    ];

    public static TheoryData<string> Dockerfiles => new(DockerfilePaths);

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EachImageBuildsWithTheSdkAndRunsAsANonRootUserOnAServiceRuntime(string dockerfile)
    {
        var lines = Repository.Read(dockerfile).Split('\n');

        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.Contains("/dotnet/sdk:", stages[0], StringComparison.Ordinal);
        Assert.Contains("/dotnet/aspnet:", stages[1], StringComparison.Ordinal);
        var user = Assert.Single(lines, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Matches(NonRootUser(), user);
        Assert.Contains(lines, l => l.StartsWith("ENTRYPOINT [\"dotnet\", \"Payments.", StringComparison.Ordinal));
    }

    [Fact]
    public void TheAuditImageIsPrecompiledForItsArchitecture()
    {
        // ReadyToRun needs a runtime identifier: the project asks for it, the image's publish supplies one.
        var project = System.Xml.Linq.XDocument.Parse(Repository.Read("services/Audit/Payments.Audit.csproj"));
        var readyToRun = Assert.Single(project.Descendants("PublishReadyToRun"));
        Assert.Equal("true", readyToRun.Value);
        Assert.Contains("$(RuntimeIdentifier)", readyToRun.Attribute("Condition")?.Value ?? "", StringComparison.Ordinal);

        var lines = Repository.Read("services/Audit/Dockerfile").Split('\n');
        Assert.Contains(lines, l => l.StartsWith("ARG TARGETARCH", StringComparison.Ordinal));
        var publish = Assert.Single(lines, l => l.StartsWith("RUN dotnet publish ", StringComparison.Ordinal));
        Assert.Contains("-r \"$(cat /tmp/rid)\"", publish, StringComparison.Ordinal);
        Assert.Contains("--self-contained false", publish, StringComparison.Ordinal);
    }

    [Fact]
    public void SkaffoldBuildsEveryDockerfileAndDeploysBothCharts()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Repository.Read("skaffold.yaml")));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;

        Assert.Equal("skaffold/v4beta14", Scalar(root, "apiVersion"));
        var artifacts = (YamlSequenceNode)((YamlMappingNode)root["build"])["artifacts"];
        var built = artifacts.Cast<YamlMappingNode>().Select(a => Scalar((YamlMappingNode)a["docker"], "dockerfile")).Order().ToList();
        Assert.Equal(DockerfilePaths.Order(), built);
        var releases = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)root["deploy"])["helm"])["releases"];
        var charts = releases.Cast<YamlMappingNode>().Select(r => Scalar(r, "chartPath")).ToList();
        Assert.Equal(["charts/payments-operator", "charts/ledger-cluster"], charts);
        Assert.All(charts, chart => Assert.True(File.Exists(Repository.PathOf(chart + "/Chart.yaml"))));
        var profiles = (YamlSequenceNode)root["profiles"];
        Assert.Contains(profiles.Cast<YamlMappingNode>(), p => Scalar(p, "name") == "dev");
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    [GeneratedRegex(@"^USER [1-9][0-9]*(:[1-9][0-9]*)?\s*$")]
    private static partial Regex NonRootUser();
}
