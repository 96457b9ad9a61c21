using Payments.Contracts;
using Payments.EventBus.Postgres;
using Payments.Ledger.Storage;
using Payments.Ledger.Writer;
using Payments.ServiceDefaults.Postgres;

namespace Payments.Ledger.Extensions;

/// <summary>All of the Ledger service's wiring.</summary>
internal static class Extensions
{
    /// <summary>The data source (writer role), the event bus, the writer and the read stores.</summary>
    public static WebApplicationBuilder AddLedgerServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LedgerOptions>().Bind(builder.Configuration.GetSection("Ledger"));
        builder.Services.AddSingleton(provider => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<LedgerOptions>>().Value);
        builder.AddPaymentsDataSource("Ledger");
        builder.Services.AddPostgresEventBus(EventTopics.Ledger);
        builder.Services.AddSingleton<LedgerWriterMetrics>();
        builder.Services.AddSingleton<LedgerWriter>();
        builder.Services.AddHostedService<LedgerWriterService>();
        builder.Services.AddHostedService<LedgerClock>();
        builder.Services.AddSingleton<SettlementRelay>();
        builder.Services.AddHostedService<SettlementRelayService>();
        builder.Services.AddSingleton<LedgerReadStore>();
        builder.Services.AddSingleton<AuditRunReader>();
        return builder;
    }
}
