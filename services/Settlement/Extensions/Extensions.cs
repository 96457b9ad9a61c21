using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.EventBus.Postgres;
using Payments.ServiceDefaults.Postgres;
using Payments.Settlement.Rails;
using Payments.Settlement.Rails.Sandbox;
using Payments.Settlement.Saga;

namespace Payments.Settlement.Extensions;

/// <summary>All of the Settlement service's wiring.</summary>
internal static class Extensions
{
    /// <summary>The data source (settlement role), the event bus, the sandbox rail and the saga worker.</summary>
    public static WebApplicationBuilder AddSettlementServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SettlementOptions>().Bind(builder.Configuration.GetSection("Settlement")).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SettlementOptions>, SettlementOptionsValidator>();
        builder.Services.AddOptions<SandboxRailOptions>().Bind(builder.Configuration.GetSection("SandboxRail"));
        builder.AddPaymentsDataSource("Settlement");
        builder.Services.AddPostgresEventBus(EventTopics.Ledger);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SandboxRailStore>();
        builder.Services.AddSingleton<IPaymentRail, SandboxRail>();
        builder.Services.AddSingleton<PayoutSettler>();
        builder.Services.AddSingleton<SettlementDecisions>();
        builder.Services.AddSingleton<SettlementWorker>();
        builder.Services.AddHostedService<SettlementWorkerService>();
        builder.Services.AddHostedService<RailCallbackPump>();
        builder.Services.AddSingleton<RailInquiries>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RailInquiries>());
        return builder;
    }
}
