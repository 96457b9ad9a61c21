using Payments.EventBus.Dapr;
using Payments.Ledger;
using Payments.Ledger.Extensions;
using Payments.Ledger.Grpc;
using Payments.Ledger.Storage;
using Payments.ServiceDefaults;
using Payments.ServiceDefaults.Postgres;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args, "LedgerOwner", LedgerSchema.Migrations);
}

// appsettings.json is read from beside the binary, whatever directory the process starts in.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults();
builder.AddLedgerServices();
builder.AddEventBusTransport(LedgerDaprTopology.Topology);

var app = builder.Build();
app.MapGrpcService<LedgerGrpcService>();
app.MapDefaultEndpoints();
app.MapEventBusTransport();
await app.RunAsync();
return 0;
