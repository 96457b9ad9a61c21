using Payments.Operator;
using Payments.Operator.Crd;

// Prints the CRD generated from the C# types: the chart's crds/ file is this output, committed.
if (args is ["--print-crd"])
{
    Console.Out.Write(LedgerClusterCrd.ToYaml());
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<OperatorOptions>().Bind(builder.Configuration.GetSection("Operator"));
builder.Services.AddLedgerClusterOperator();
builder.Services.AddHostedService<OperatorHost>();

var app = builder.Build();
// Liveness only: a standby replica waiting for the Lease is healthy too.
app.MapGet("/healthz", () => Results.Text("ok"));
await app.RunAsync();
return 0;
