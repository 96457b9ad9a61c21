using Payments.Operator.Controllers;

namespace Payments.Operator;

/// <summary>Runs the leader-elected operator and stops the process when leadership ends.</summary>
internal sealed class OperatorHost(LeaderElectedOperator elected, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await elected.RunAsync(stoppingToken);
        if (!stoppingToken.IsCancellationRequested)
        {
            lifetime.StopApplication();
        }
    }
}
