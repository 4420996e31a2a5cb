using HaproxyKafka.Forwarder.Pipeline;
using HaproxyKafka.Forwarder.Systemd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Monitoring;

/// <summary>
/// Feeds systemd's watchdog (<c>WATCHDOG=1</c> every half <c>WatchdogSec</c>) only while the pipeline is healthy:
/// lines move, or there are none to move. Started after <see cref="SystemdReadiness"/> (systemd's watchdog runs from
/// readiness) and stopped last, in <see cref="StoppedAsync"/>, so pings go on while the pipeline drains, as before.
/// It runs without systemd too: resetting the progress clock while idle is what keeps <c>/healthz</c> honest.
/// </summary>
internal sealed partial class ProgressWatchdog(ForwardingPipeline pipeline, SystemdNotifier systemd, ILoggerFactory logs) : IHostedLifecycleService, IDisposable
{
    private readonly ILogger _log = logs.CreateLogger("haproxykafka");
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public void Dispose() => _stop.Dispose();

    private async Task LoopAsync()
    {
        var interval = systemd.WatchdogInterval is { } w ? w / 2 : TimeSpan.FromSeconds(1);
        interval = TimeSpan.FromMilliseconds(Math.Clamp(interval.TotalMilliseconds, 100, 1000));
        using var timer = new PeriodicTimer(interval);
        var wasHealthy = true;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (pipeline.InFlight == 0)
                {
                    pipeline.Progress.Idle();
                }

                var health = pipeline.Health;
                if (health.Healthy)
                {
                    // Only a pipeline that moves (or has nothing to move) keeps systemd from restarting it.
                    systemd.Watchdog();
                }
                else if (wasHealthy)
                {
                    Log.Unhealthy(_log, health.Reason);
                }

                wasHealthy = health.Healthy;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "unhealthy: {Reason}; the systemd watchdog is no longer fed")]
        public static partial void Unhealthy(ILogger logger, string reason);
    }
}
