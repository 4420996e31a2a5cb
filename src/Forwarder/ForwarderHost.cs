using Confluent.Kafka;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Monitoring;
using HaproxyKafka.Forwarder.Pipeline;
using HaproxyKafka.Forwarder.Receiving;
using HaproxyKafka.Forwarder.Systemd;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Decoder.Mapping;
using Microsoft.Extensions.Logging;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Forwarder;

/// <summary>
/// The running daemon: socket -> receive thread -> queue -> workers -> Kafka, with dead letters, metrics, health
/// and the systemd watchdog. <see cref="StopAsync"/> is the SIGTERM path: stop receiving, drain, flush within
/// <c>kafka.flush_timeout</c>, dead-letter what Kafka still holds, so the ledger closes with nothing in flight.
/// </summary>
internal sealed partial class ForwarderHost : IAsyncDisposable
{
    private readonly ForwarderConfig _config;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ProgressClock _progress = new();
    private readonly SystemdNotifier _systemd;
    private readonly IProducer<Null, byte[]> _producer;
    private readonly DeadLetterFile _deadLetterFile;
    private readonly LineQueue _queue;
    private readonly ListeningSocket _socket;
    private readonly Receiver _receiver;
    private readonly List<Worker> _workers = [];
    private readonly MonitoringServer _monitoring;
    private Task _watchdog = Task.CompletedTask;
    private readonly int? _maxDgramQlen;
    private bool _stopped;

    private ForwarderHost(ForwarderConfig config, ParserTable table, ILoggerFactory logs, SystemdNotifier systemd, TimeZoneInfo zone)
    {
        _config = config;
        _log = logs.CreateLogger("haproxykafka");
        _systemd = systemd;
        Table = table;
        _queue = new LineQueue(config.Socket.BatchSize);
        Metrics = new ForwarderMetrics(config.Monitoring, () => InFlight);
        _maxDgramQlen = ListeningSocket.MaxDatagramQueueLength();
        _producer = new ProducerBuilder<Null, byte[]>(ProducerSettings.Build(config.Kafka))
            .SetErrorHandler((_, e) => Log.KafkaError(_log, e.Code.ToString(), e.Reason))
            .SetLogHandler((_, m) => Log.Librdkafka(_log, m.Facility, m.Message))
            .Build();
        _deadLetterFile = new DeadLetterFile(config.DeadLetterPath);
        DeadLetters = new DeadLetterSink(_producer, config.Kafka.DlqTopic, _deadLetterFile, Metrics, config.Hostname, _log);
        Sink = new KafkaSink(_producer, config.Kafka.Topic, ProducerSettings.QueueLimit(config.Kafka), Metrics, DeadLetters, _progress);
        RegisterGauges();

        var cluster = table.ClusterOf(config.Kafka.Topic);
        for (var i = 0; i < config.Workers; i++)
        {
            var mapper = new LineMapper(table, config.Hostname, cluster, zone, config.AcceptedFingerprints);
            _workers.Add(new Worker(i, _queue, mapper, Sink, DeadLetters, Metrics, _progress, _stopping.Token));
        }

        _socket = ListeningSocket.Bind(config.Socket);
        _receiver = new Receiver(_socket, _queue, Metrics);
        _monitoring = new MonitoringServer(config.Monitoring, this, logs);
        foreach (var warning in _socket.Warnings)
        {
            Log.Warning(_log, warning);
        }

        _receiver.Start();
        foreach (var worker in _workers)
        {
            worker.Start();
        }

    }

    public ParserTable Table { get; }

    public ForwarderMetrics Metrics { get; }

    public KafkaSink Sink { get; }

    public DeadLetterSink DeadLetters { get; }

    public ForwarderConfig Config => _config;

    /// <summary>Lines received and not yet settled: in the queue or a worker, in librdkafka, or on the way to the DLQ.</summary>
    public long InFlight => _queue.Pending + Sink.Outstanding + DeadLetters.Outstanding;

    public int QueueDepth => _queue.Depth;

    public int QueueCapacity => _queue.Capacity;

    public Uri MonitoringAddress => _monitoring.Address;

    public HealthState Health => HealthState.Evaluate(InFlight, _progress.SinceSettled, _receiver.SinceHeartbeat, _config.Monitoring.StallTimeout);

    public DateTimeOffset? LastDelivery => _progress.LastDelivery;

    public int? MaxDatagramQueueLength => _maxDgramQlen;

    public int SocketReceiveBuffer => _socket.ReceiveBufferBytes;

    public static async Task<ForwarderHost> StartAsync(ForwarderConfig config, ParserTable table, ILoggerFactory logs, SystemdNotifier systemd, TimeZoneInfo zone)
    {
        var host = new ForwarderHost(config, table, logs, systemd, zone);
        await host._monitoring.StartAsync();
        host.AnnounceStart();
        return host;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _systemd.Stopping();
        Log.Stopping(_log, InFlight);
        _receiver.Stop();
        _queue.Complete();
        foreach (var worker in _workers)
        {
            worker.Join(_config.Kafka.FlushTimeout + TimeSpan.FromSeconds(5));
        }

        var left = _producer.Flush(_config.Kafka.FlushTimeout);
        if (left > 0 || DeadLetters.Outstanding > 0)
        {
            // Kafka did not take everything in time: what it still holds is dead-lettered to the file, not lost.
            Log.FlushTimedOut(_log, left, _config.Kafka.FlushTimeout.TotalMilliseconds, DeadLetters.FilePath);
            Sink.ShuttingDown();
            DeadLetters.UseFileOnly();
            ProducerPurge.TryPurge(_producer);
            _producer.Flush(TimeSpan.FromSeconds(5));
        }

        await _stopping.CancelAsync();
        await _watchdog;
        Log.Stopped(_log, Metrics.Received.Value, Metrics.Delivered.Value, Metrics.DeadLettered.Total, Metrics.Dropped.Total, InFlight);
        await _monitoring.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _producer.Dispose();
        _socket.Dispose();
        _deadLetterFile.Dispose();
        _queue.Dispose();
        _stopping.Dispose();
    }

    private void AnnounceStart()
    {
        Log.Started(_log, _config.Socket.Path, _config.Kafka.Topic, Table.Fingerprint, _config.Workers, _monitoring.Address.ToString(), Confluent.Kafka.Library.VersionString);
        if (_maxDgramQlen is { } qlen && qlen < 512)
        {
            Log.SmallDatagramQueue(_log, qlen);
        }

        _systemd.Ready($"forwarding {_config.Socket.Path} to {_config.Kafka.Topic}");

        // Pings start only after READY=1: systemd's watchdog runs from readiness.
        _watchdog = Task.Run(WatchdogLoopAsync);
    }

    private async Task WatchdogLoopAsync()
    {
        var interval = _systemd.WatchdogInterval is { } w ? w / 2 : TimeSpan.FromSeconds(1);
        interval = TimeSpan.FromMilliseconds(Math.Clamp(interval.TotalMilliseconds, 100, 1000));
        using var timer = new PeriodicTimer(interval);
        var wasHealthy = true;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                if (InFlight == 0)
                {
                    _progress.Idle();
                }

                var health = Health;
                if (health.Healthy)
                {
                    // Only a pipeline that moves (or has nothing to move) keeps systemd from restarting it.
                    _systemd.Watchdog();
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

    private void RegisterGauges()
    {
        Metrics.AddGauge("queue_depth", "Lines waiting in the internal queue between the receive thread and the workers.", () => _queue.Depth);
        Metrics.AddGauge("queue_capacity", "Capacity of the internal queue (socket.batch_size).", () => _queue.Capacity);
        Metrics.AddGauge("kafka_outstanding_messages", "Messages handed to librdkafka without a delivery report yet.", () => Sink.Outstanding);
        Metrics.AddGauge("kafka_high_water_messages", "Outstanding messages at which workers pause (90% of queue.buffering.max.messages).", () => Sink.HighWater);
        Metrics.AddGauge("kafka_paused", "1 while workers wait for librdkafka's queue to drain to the low-water mark.", () => Sink.Paused ? 1 : 0);
        Metrics.AddGauge("dlq_outstanding_messages", "Dead letters handed to librdkafka for the DLQ topic without a report yet.", () => DeadLetters.Outstanding);
        Metrics.AddGauge("unix_max_dgram_qlen", "net.unix.max_dgram_qlen read at start (datagrams the kernel queues; production wants 512+).", () => _maxDgramQlen ?? double.NaN);
        Metrics.AddGauge("last_delivery_timestamp_seconds", "Unix time of the last delivery report (0: none yet).", () => (_progress.LastDelivery?.ToUnixTimeMilliseconds() ?? 0) / 1000.0);
        Metrics.AddGauge("healthy", "1 when lines make progress or nothing is pending (what the systemd watchdog is fed on).", () => Health.Healthy ? 1 : 0);
        Metrics.AddProcessMetrics();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "forwarding {Socket} -> {Topic} with parser table {Fingerprint}, {Workers} worker(s); monitoring on {Monitoring}; librdkafka {Librdkafka}")]
        public static partial void Started(ILogger logger, string socket, string topic, string fingerprint, int workers, string monitoring, string librdkafka);

        [LoggerMessage(Level = LogLevel.Warning, Message = "net.unix.max_dgram_qlen is {Qlen}: a receive stall of about a millisecond loses datagrams in the kernel (HAProxy counts them as DroppedLogs); production hosts need 512 or more (sysctl net.unix.max_dgram_qlen=512, before this daemon creates its socket)")]
        public static partial void SmallDatagramQueue(ILogger logger, int qlen);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
        public static partial void Warning(ILogger logger, string message);

        [LoggerMessage(Level = LogLevel.Warning, Message = "kafka error {Code}: {Reason}")]
        public static partial void KafkaError(ILogger logger, string code, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Facility}: {Message}")]
        public static partial void Librdkafka(ILogger logger, string facility, string message);

        [LoggerMessage(Level = LogLevel.Error, Message = "unhealthy: {Reason}; the systemd watchdog is no longer fed")]
        public static partial void Unhealthy(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "stopping: socket closed, draining {InFlight} lines in flight")]
        public static partial void Stopping(ILogger logger, long inFlight);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Left} messages not delivered within flush_timeout {TimeoutMs} ms; dead-lettering them to {File}")]
        public static partial void FlushTimedOut(ILogger logger, int left, double timeoutMs, string file);

        [LoggerMessage(Level = LogLevel.Information, Message = "stopped: received {Received}, delivered {Delivered}, dead-lettered {DeadLettered}, dropped {Dropped}, in flight {InFlight}")]
        public static partial void Stopped(ILogger logger, long received, long delivered, long deadLettered, long dropped, long inFlight);
    }
}
