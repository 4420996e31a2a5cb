using System.Runtime.InteropServices;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Pipeline;
using HaproxyKafka.Forwarder.Systemd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// SIGUSR2 (<c>systemctl reload</c>, the unit's <c>ExecReload=</c>): start the executable at this process's path
/// again with the socket handed over, wait until it reads the socket, make it systemd's main PID, then stop the way
/// SIGTERM does (stop reading, drain, flush, exit 0). Both processes read the socket in between, so no datagram finds
/// nobody reading. If the new process exits or is not ready in time, this one keeps running and says why.
/// </summary>
internal sealed partial class UpgradeOnSignal : IHostedService, IDisposable
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>As long as the unit's <c>TimeoutStartSec</c> lets a fresh start take.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly ForwardingPipeline _pipeline;
    private readonly SystemdNotifier _systemd;
    private readonly SuccessorCommand _command;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _log;
    private readonly LabeledCounter _upgrades;
    private PosixSignalRegistration? _registration;
    private int _busy;

    public UpgradeOnSignal(ForwardingPipeline pipeline, SystemdNotifier systemd, SuccessorCommand command, IHostApplicationLifetime lifetime, ILoggerFactory logs)
    {
        _pipeline = pipeline;
        _systemd = systemd;
        _command = command;
        _lifetime = lifetime;
        _log = logs.CreateLogger("haproxykafka");
        _upgrades = pipeline.Metrics.AddLabeledCounter("upgrades_total", "SIGUSR2 upgrades (start the executable again, hand over the socket) by result.", "result", [Succeeded, Failed]);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create((PosixSignal)ProcessSignals.SigUsr2, OnSignal);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _registration?.Dispose();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Exchange(ref _busy, 1) == 1)
        {
            Log.AlreadyUpgrading(_log);
            return;
        }

        // Off the signal-handling thread: starting and waiting take up to ReadyTimeout.
        _ = Task.Run(Upgrade);
    }

    private void Upgrade()
    {
        var socket = _pipeline.Socket;
        if (socket is null || !_pipeline.Receiving || _lifetime.ApplicationStopping.IsCancellationRequested)
        {
            Log.NotNow(_log);
            Volatile.Write(ref _busy, 0);
            return;
        }

        Log.Starting(_log, _command.Executable);
        SuccessorProcess successor;
        try
        {
            successor = SuccessorProcess.Start(_command, socket);
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Fail($"cannot start {_command.Executable}: {e.Message}");
            return;
        }

        using (successor)
        {
            if (successor.WaitUntilReady(ReadyTimeout) is { } why)
            {
                successor.Abandon(TimeSpan.FromSeconds(30));
                Fail($"the new process {successor.Pid} failed: {why}");
                return;
            }

            // From here the socket is the successor's too: this process must neither unlink nor shut it down.
            socket.HandOver();
            _systemd.HandOff(successor.Pid, $"handed over to {successor.Pid}; draining");
            successor.ConfirmMainPid();
            _upgrades.For(Succeeded).Add();
            Log.HandedOver(_log, successor.Pid);
        }

        _lifetime.StopApplication();
    }

    private void Fail(string why)
    {
        _upgrades.For(Failed).Add();
        Log.UpgradeFailed(_log, why);
        Volatile.Write(ref _busy, 0);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "SIGUSR2: starting {Executable} to take over the socket")]
        public static partial void Starting(ILogger logger, string executable);

        [LoggerMessage(Level = LogLevel.Information, Message = "handed over to process {Pid} (now the main PID); stopping: draining what this process read")]
        public static partial void HandedOver(ILogger logger, int pid);

        [LoggerMessage(Level = LogLevel.Error, Message = "upgrade failed, this process keeps running: {Why}")]
        public static partial void UpgradeFailed(ILogger logger, string why);

        [LoggerMessage(Level = LogLevel.Warning, Message = "SIGUSR2 ignored: an upgrade is already under way")]
        public static partial void AlreadyUpgrading(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "SIGUSR2 ignored: the daemon is not receiving (starting or stopping)")]
        public static partial void NotNow(ILogger logger);
    }
}
