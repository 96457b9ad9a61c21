using System.Net.Sockets;
using Npgsql;

namespace Payments.Postgres;

/// <summary>Tells failures worth a retry (the database unreachable, busy or restarting) from the rest.</summary>
public static class TransientFailure
{
    /// <summary>True when the same work may well succeed later, unchanged: nothing about it was refused.</summary>
    public static bool Is(Exception exception) => exception switch
    {
        TimeoutException => true,
        NpgsqlException { IsTransient: true } => true,
        PostgresException postgres => IsTransientState(postgres.SqlState),
        NpgsqlException { InnerException: { } inner } => inner is IOException or SocketException or TimeoutException,
        _ => false,
    };

    // Npgsql's own list leaves out some states that mean "not now" rather than "never": a lock wait
    // beyond lock_timeout, an administrator's or the server's shutdown, a role's connection limit.
    private static bool IsTransientState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;
}
