using Payments.EventBus.Dapr;
using Payments.Ledger;
using Payments.Ledger.Extensions;
using Payments.Ledger.Grpc;
using Payments.ServiceDefaults;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLedgerServices();
builder.AddEventBusTransport(LedgerDaprTopology.Topology);

var app = builder.Build();
app.MapGrpcService<LedgerGrpcService>();
app.MapDefaultEndpoints();
app.MapEventBusTransport();
await app.RunAsync();
return 0;
