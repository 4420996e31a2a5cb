using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// SIGHUP (<c>systemctl kill -s HUP --kill-whom=main haproxykafka</c>): reload the config and parser table in place
/// (<see cref="ConfigReloader"/>), off the signal thread. SIGHUPs that arrive while a reload runs are folded into one
/// more reload after it, so the last write of the file is always the one read.
/// </summary>
internal sealed partial class ReloadOnSignal(HangupSignal hangups, ConfigReloader reloader, IHostApplicationLifetime lifetime, ILoggerFactory logs) : IHostedService
{
    private readonly ILogger _log = logs.CreateLogger("haproxykafka");
    private int _requested;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        hangups.Listen(Request);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Request()
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            Log.Stopping(_log);
            return;
        }

        if (Interlocked.Increment(ref _requested) == 1)
        {
            _ = Task.Run(Run);
        }
    }

    private void Run()
    {
        do
        {
            // Every request up to here is served by this reload; one arriving during it leaves a count for the next.
            Interlocked.Exchange(ref _requested, 1);
            try
            {
                reloader.Reload();
            }
            catch (Exception e)
            {
                // Nothing is published on an unexpected failure: the running generation stays, and the next SIGHUP retries.
                Log.Unexpected(_log, e);
            }
        }
        while (Interlocked.Decrement(ref _requested) > 0);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "SIGHUP ignored: the daemon is stopping")]
        public static partial void Stopping(ILogger logger);

        [LoggerMessage(Level = LogLevel.Error, Message = "reload failed unexpectedly; still running the last good config and parser table")]
        public static partial void Unexpected(ILogger logger, Exception exception);
    }
}
