using Payments.EventBus.Dapr.Tests.Sidecar;
using Payments.Testing;

namespace Payments.EventBus.Dapr.Tests;

/// <summary>
/// The platform in its Kubernetes shape, minus Kubernetes: the Payment API and the Ledger as real
/// processes with <c>EventBus:Transport=dapr</c>, both pointed at one <see cref="TestDaprSidecar"/> that
/// stands in for the sidecars and Kafka, pushing the payments topic to the Ledger's subscription.
/// </summary>
public sealed class DaprPlatform : IAsyncLifetime
{
    public Platform Platform { get; } = new();

    public TestDaprSidecar Sidecar { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sidecar = await TestDaprSidecar.StartAsync();
        Platform.Environment["EventBus__Transport"] = "dapr";
        Platform.Environment["EventBus__Dapr__GrpcEndpoint"] = Sidecar.GrpcEndpoint;
        Platform.Environment["EventBus__Dapr__PubSubName"] = "pubsub";
        await Platform.InitializeAsync();
        Sidecar.Subscribe("payments", Platform.Ledger.Url, "/dapr/events/payments");
    }

    public async Task DisposeAsync()
    {
        await Sidecar.DisposeAsync();
        await Platform.DisposeAsync();
    }
}
