using System.Diagnostics;
using HaproxyKafka.Forwarder.Lifecycle;
using HaproxyKafka.Forwarder.Monitoring;
using HaproxyKafka.Forwarder.Pipeline;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Systemd;

/// <summary>
/// <c>READY=1</c> once the pipeline receives (registered after it, so its <see cref="StartedAsync"/> runs after the
/// socket is bound), <c>STOPPING=1</c> first thing on shutdown (before the pipeline drains). The only sender of
/// either; the host's own systemd integration (Microsoft.Extensions.Hosting.Systemd) is not used.
/// </summary>
internal sealed partial class SystemdReadiness(ForwardingPipeline pipeline, SystemdNotifier systemd, IServer server, IHostApplicationLifetime lifetime, ILoggerFactory logs) : IHostedLifecycleService
{
    private readonly ILogger _log = logs.CreateLogger("haproxykafka");

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var config = pipeline.Config;
        Log.Started(_log, config.Socket.Path, config.Kafka.Topic, pipeline.Table.Fingerprint, config.Workers, MonitoringEndpoints.Address(server).ToString(), Confluent.Kafka.Library.VersionString);
        if (pipeline.MaxDatagramQueueLength is { } qlen && qlen < 512)
        {
            Log.SmallDatagramQueue(_log, qlen);
        }

        var status = $"forwarding {config.Socket.Path} to {config.Kafka.Topic}";
        using var predecessor = PredecessorLink.FromEnvironment();
        if (predecessor is null)
        {
            systemd.Ready(status);
        }
        else if (predecessor.ReportReady(TimeSpan.FromSeconds(60)) is { } why)
        {
            // The predecessor keeps (or lost) the service; a second reader it does not know of must not stay.
            Log.HandoverRefused(_log, why);
            lifetime.StopApplication();
            return Task.CompletedTask;
        }
        else
        {
            systemd.TakeOver(status);
        }

        Log.Ready(_log, pipeline.Socket?.Origin.ToString() ?? "none", (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        systemd.Stopping();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "forwarding {Socket} -> {Topic} with parser table {Fingerprint}, {Workers} worker(s); monitoring on {Monitoring}; librdkafka {Librdkafka}")]
        public static partial void Started(ILogger logger, string socket, string topic, string fingerprint, int workers, string monitoring, string librdkafka);

        [LoggerMessage(Level = LogLevel.Information, Message = "ready (socket from {Origin}), {Ms:0} ms after exec")]
        public static partial void Ready(ILogger logger, string origin, double ms);

        [LoggerMessage(Level = LogLevel.Error, Message = "taking over from the previous haproxykafka failed, stopping: {Why}")]
        public static partial void HandoverRefused(ILogger logger, string why);

        [LoggerMessage(Level = LogLevel.Warning, Message = "net.unix.max_dgram_qlen is {Qlen}: a receive stall of about a millisecond loses datagrams in the kernel (HAProxy counts them as DroppedLogs); production hosts need 512 or more (sysctl net.unix.max_dgram_qlen=512, before this daemon creates its socket)")]
        public static partial void SmallDatagramQueue(ILogger logger, int qlen);
    }
}
