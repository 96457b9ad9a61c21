using Payments.Api.Payments;
using Payments.Api.Storage;
using Payments.Contracts;
using Payments.EventBus.Postgres;
using Payments.ServiceDefaults.Postgres;

namespace Payments.Api.Extensions;

/// <summary>All of the Payment API's wiring.</summary>
internal static class Extensions
{
    /// <summary>The data source (API role), the event bus and the payment reader.</summary>
    public static WebApplicationBuilder AddPaymentApiServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PaymentApiOptions>().Bind(builder.Configuration.GetSection("Payments"));
        builder.AddPaymentsDataSource("Payments");
        builder.Services.AddPostgresEventBus(EventTopics.Ledger);
        builder.Services.AddSingleton<PaymentReader>();
        builder.Services.AddSingleton<KnownAccounts>();
        builder.Services.AddSingleton<PaymentAccess>();
        builder.Services.AddSingleton<PaymentSubmission>();
        builder.Services.AddSingleton<PaymentWatcher>();
        builder.Services.AddSingleton<WatchLimits>();
        builder.Services.AddSingleton<OutcomeTail>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<OutcomeTail>());
        return builder;
    }
}
