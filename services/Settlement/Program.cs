using Payments.EventBus.Dapr;
using Payments.ServiceDefaults;
using Payments.ServiceDefaults.Postgres;
using Payments.Settlement.Extensions;
using Payments.Settlement.Storage;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args, "SettlementOwner", SettlementSchema.Migrations);
}

// appsettings.json is read from beside the binary, whatever directory the process starts in.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults();
builder.AddSettlementServices();
builder.AddEventBusTransport(SettlementDaprTopology.Topology);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapEventBusTransport();
await app.RunAsync();
return 0;
