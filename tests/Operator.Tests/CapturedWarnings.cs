using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Payments.Operator.Tests;

/// <summary>Keeps every warning and error the operator logs, so a test can tell a quiet retry from a failure.</summary>
internal sealed class CapturedWarnings : ILoggerProvider
{
    /// <summary>"Category: message" of each warning or error, in the order logged.</summary>
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Messages);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                messages.Enqueue($"{category}: {formatter(state, exception)}");
            }
        }
    }
}
