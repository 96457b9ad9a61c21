using Payments.Ledger.Extensions;
using Payments.Ledger.Grpc;
using Payments.Ledger.Storage;
using Payments.ServiceDefaults;
using Payments.ServiceDefaults.Postgres;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args, "LedgerOwner", LedgerSchema.Migrations);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLedgerServices();

var app = builder.Build();
app.MapGrpcService<LedgerGrpcService>();
app.MapDefaultEndpoints();
await app.RunAsync();
return 0;
