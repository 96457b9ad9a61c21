using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.EventBus.Postgres;

/// <summary>Registers the PostgreSQL transport behind the event-bus port.</summary>
public static class PostgresEventBusExtensions
{
    /// <summary>
    /// Adds the group-committing publisher, outbox and subscriber over the registered <see cref="NpgsqlDataSource"/>, and a
    /// topic signal that watches <paramref name="watchedTopics"/>.
    /// </summary>
    public static IServiceCollection AddPostgresEventBus(this IServiceCollection services, params string[] watchedTopics)
    {
        // Concurrent calls share commits; see GroupCommitPublisher.
        services.AddSingleton<GroupCommitPublisher>();
        services.AddSingleton<IEventPublisher>(provider => provider.GetRequiredService<GroupCommitPublisher>());
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<GroupCommitPublisher>());
        services.AddSingleton<IEventOutbox, PostgresEventOutbox>();
        services.AddSingleton<IEventSubscriber, PostgresEventSubscriber>();
        services.AddSingleton(provider => new PostgresTopicSignal(
            provider.GetRequiredService<NpgsqlDataSource>(), watchedTopics,
            provider.GetRequiredService<ILogger<PostgresTopicSignal>>()));
        services.AddSingleton<ITopicSignal>(provider => provider.GetRequiredService<PostgresTopicSignal>());
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<PostgresTopicSignal>());
        return services;
    }
}
