using Payments.Postgres;

namespace Payments.EventBus.Postgres;

/// <summary>The event log's migrations, applied by the owner role before any service starts.</summary>
public static class EventLogSchema
{
    /// <summary>Every migration of the <c>eventlog</c> schema, in order.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        Migration.FromResource(typeof(EventLogSchema).Assembly, "eventlog_001_events.sql"),
        Migration.FromResource(typeof(EventLogSchema).Assembly, "eventlog_002_subject_index.sql"),
        Migration.FromResource(typeof(EventLogSchema).Assembly, "eventlog_003_append_returns_new_ids.sql"),
        Migration.FromResource(typeof(EventLogSchema).Assembly, "eventlog_004_settlement_role.sql"),
        Migration.FromResource(typeof(EventLogSchema).Assembly, "eventlog_005_append_by_copy.sql"),
    ];

    /// <summary>The NOTIFY channel that an append to <paramref name="topic"/> signals.</summary>
    public static string ChannelOf(string topic) => "eventlog_" + topic;
}
