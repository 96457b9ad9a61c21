using Payments.ServiceDefaults;
using Payments.ServiceDefaults.Postgres;
using Payments.Settlement.Extensions;
using Payments.Settlement.Storage;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args, "SettlementOwner", SettlementSchema.Migrations);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSettlementServices();

var app = builder.Build();
app.MapDefaultEndpoints();
await app.RunAsync();
return 0;
