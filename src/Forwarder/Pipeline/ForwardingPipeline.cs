using Confluent.Kafka;
using HaproxyKafka.Contract;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Receiving;
using HaproxyKafka.Forwarder.Spool;
using HaproxyKafka.Forwarder.Tap;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Pipeline;

/// <summary>
/// Socket -> receive thread -> queue -> workers -> Kafka, with dead letters and metrics. Constructing it builds the
/// Kafka producer; the socket is bound in <see cref="StartedAsync"/>, which the host calls once every
/// <c>StartAsync</c> has returned (so the monitoring listener is up before the first line can arrive).
/// <see cref="StoppingAsync"/> is the SIGTERM path, run before the host stops the listener: stop receiving, drain,
/// flush within <c>kafka.flush_timeout</c>, dead-letter what Kafka still holds, so the ledger closes with nothing in
/// flight. Disposing closes the socket (removing its file), the producer and the dead-letter file.
/// <para>
/// With <c>spool.path</c> set, a <see cref="DiskSpool"/> takes what Kafka cannot (transient delivery failures, lines
/// beyond the in-flight budget, what the drain cannot deliver; see <see cref="KafkaSink"/>) through one
/// <see cref="Spool.SpoolWriter"/>, and a <see cref="SpoolReplayer"/> gives it back to Kafka, oldest first, whenever
/// fresh lines leave the budget below its low-water mark and Kafka has not refused anything for
/// <see cref="ReplayQuiet"/>, including what a previous process left in the spool.
/// </para>
/// </summary>
internal sealed partial class ForwardingPipeline : IHostedLifecycleService, IDisposable
{
    private readonly ForwarderConfig _config;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IProducer<Null, byte[]> _producer;
    private readonly DeadLetterFile _deadLetterFile;
    private readonly LineQueue _queue;
    private readonly List<Worker> _workers = [];
    private readonly DiskSpool? _spool;
    private readonly SpoolReplayer? _replayer;
    private ListeningSocket? _socket;
    private Receiver? _receiver;
    private bool _started;
    private bool _drained;
    private bool _disposed;

    public ForwardingPipeline(ForwarderConfig config, ParserTable table, TimeZoneInfo zone, ILoggerFactory logs)
    {
        _config = config;
        _log = logs.CreateLogger("haproxykafka");
        Mapping = new ActiveMapping(config, table, config.Workers, zone);
        Progress = new ProgressClock();
        _queue = new LineQueue(config.Socket.QueueBytes);
        Metrics = new ForwarderMetrics(config.Monitoring, () => InFlight);
        MaxDatagramQueueLength = ListeningSocket.MaxDatagramQueueLength();
        _producer = BuildProducer(config.Kafka, config.Socket.QueueBytes);
        _deadLetterFile = new DeadLetterFile(config.DeadLetterPath);
        var deadLetterQueue = new DeadLetterQueueLimits(config.DeadLetterQueue.MaxLines, config.DeadLetterQueue.MaxBytes, DeadLetterQueueLimits.Default.MaxBatch);
        DeadLetters = new DeadLetterSink(_producer, config.Kafka.DlqTopic, _deadLetterFile, Metrics, config.Hostname, _log, deadLetterQueue);
        Sink = new KafkaSink(_producer, config.Kafka.Topic, ProducerSettings.QueueLimit(config.Kafka), Metrics, DeadLetters, Progress, ProducerSettings.QueueBytes(config.Kafka, config.Socket.QueueBytes));
        DeadLetters.ShareBudget(Sink.Budget);
        if (config.Spool.Enabled)
        {
            _spool = DiskSpool.Open(SpoolOptions.From(config.Spool));
            SpoolWriter = new SpoolWriter(_spool, Metrics, DeadLetters, _log, SpoolWriterQueueBytes);
            Sink.UseSpool(SpoolWriter);
            _replayer = new SpoolReplayer(_spool, Sink.ReplayAsync, MayReplay, SpoolReplayOptions.Default, _log);
            if (_spool.Records > 0)
            {
                Log.SpoolLeftover(_log, _spool.Records, _spool.Bytes, config.Spool.Path);
            }
        }

        RegisterGauges();
        Tap = new TapHub(Metrics);

        for (var i = 0; i < config.Workers; i++)
        {
            _workers.Add(new Worker(i, _queue, Mapping, Sink, DeadLetters, Metrics, Progress, _stopping.Token, Tap));
        }
    }

    public ForwarderConfig Config => _config;

    /// <summary>The parser table workers map with now (a SIGHUP reload may have replaced the one started with).</summary>
    public ParserTable Table => Mapping.Current.Table;

    /// <summary>The config and parser table in use; SIGHUP publishes a new generation here.</summary>
    public ActiveMapping Mapping { get; }

    public ForwarderMetrics Metrics { get; }

    public KafkaSink Sink { get; }

    public DeadLetterSink DeadLetters { get; }

    public ProgressClock Progress { get; }

    /// <summary>How long after Kafka's last transient failure replay waits before it tries again.</summary>
    public static readonly TimeSpan ReplayQuiet = TimeSpan.FromSeconds(5);

    /// <summary>Bytes of records waiting for the spool writer before workers wait for it (the disk's back-pressure).</summary>
    private const long SpoolWriterQueueBytes = 16L << 20;

    /// <summary>The spool's writer when <c>spool.path</c> is set.</summary>
    public SpoolWriter? SpoolWriter { get; }

    public DiskSpool? Spool => _spool;

    /// <summary>
    /// The ledger's spool column: messages this process wrote to the spool less those it produced again from it (a
    /// replayed message that fails transiently counts back in: it is still in the spool). Negative when it replays
    /// more than it spooled: what a previous process left, or a batch replayed twice.
    /// </summary>
    public long Spooled => (_spool?.Appended ?? 0) - Sink.Unspooled;

    /// <summary>Where workers show lines to <c>haproxykafka tap</c> clients.</summary>
    public TapHub Tap { get; }

    /// <summary>True from the moment the socket is bound and the threads run until shutdown begins.</summary>
    public bool Receiving => _started && !_drained;

    /// <summary>Lines received and not yet settled: in the queue or a worker, in librdkafka, or on the way to the DLQ.</summary>
    public long InFlight => _queue.Pending + Sink.Outstanding + DeadLetters.Outstanding + (SpoolWriter?.Pending ?? 0);

    public long QueueDepth => _queue.Depth;

    public int QueueCapacity => _queue.Capacity;

    public HealthState Health =>
        HealthState.Evaluate(InFlight, Progress.SinceSettled, _receiver?.SinceHeartbeat ?? TimeSpan.Zero, _config.Monitoring.StallTimeout);

    public DateTimeOffset? LastDelivery => Progress.LastDelivery;

    /// <summary><c>net.unix.max_dgram_qlen</c> as read at start-up.</summary>
    public int? MaxDatagramQueueLength { get; }

    public int? SocketReceiveBuffer => _socket?.ReceiveBufferBytes;

    /// <summary>The socket once started (the upgrade hands it to a successor).</summary>
    public ListeningSocket? Socket => _socket;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Binds the socket, then starts the workers and the receive thread.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _socket = ListeningSocket.Acquire(_config.Socket);
        foreach (var warning in _socket.Warnings)
        {
            Log.Warning(_log, warning);
        }

        _receiver = new Receiver(_socket, _queue, Metrics, _log);
        foreach (var worker in _workers)
        {
            worker.Start();
        }

        _started = true;
        _receiver.Start();
        _replayer?.Start();
        return Task.CompletedTask;
    }

    /// <summary>The drain. Synchronous and bounded by <c>kafka.flush_timeout</c> on its own; the host's token is not needed.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        Drain();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_started && !_drained)
        {
            // Start failed further on (or the host never stopped us): the threads must not outlive the socket.
            _stopping.Cancel();
            _receiver!.Stop();
            _queue.Complete();
        }

        _socket?.Dispose();
        _replayer?.Dispose();
        SpoolWriter?.Dispose();
        DeadLetters.Dispose();
        _producer.Dispose();
        _deadLetterFile.Dispose();
        _spool?.Dispose();
        _queue.Dispose();
        _stopping.Dispose();
    }

    private void Drain()
    {
        if (_drained)
        {
            return;
        }

        _drained = true;
        Log.Stopping(_log, InFlight);
        if (_started)
        {
            _receiver!.Stop();
            _queue.Complete();
            foreach (var worker in _workers)
            {
                worker.Join(_config.Kafka.FlushTimeout + TimeSpan.FromSeconds(5));
            }
        }

        // Replay stops before the final flush. The batch in hand is not acknowledged, so it stays in the spool for the
        // next start; what the flush still delivers of it is then delivered twice (replay is at least once).
        _replayer?.StopAsync().GetAwaiter().GetResult();
        var left = DeadLetters.Flush(_producer, _config.Kafka.FlushTimeout);
        if (left > 0 || DeadLetters.Outstanding > 0)
        {
            // Kafka did not take everything in time: what it still holds is spooled (transient failures, with a
            // spool) or dead-lettered to the file, not lost.
            if (SpoolWriter is not null)
            {
                Log.FlushTimedOutSpooling(_log, left, _config.Kafka.FlushTimeout.TotalMilliseconds, _config.Spool.Path);
            }
            else
            {
                Log.FlushTimedOut(_log, left, _config.Kafka.FlushTimeout.TotalMilliseconds, DeadLetters.FilePath);
            }

            Sink.ShuttingDown();
            DeadLetters.UseFileOnly();
            ProducerPurge.TryPurge(_producer);
            _producer.Flush(TimeSpan.FromSeconds(5));
        }

        // Whatever is queued for the spool, then for the dead letters (the spool's disk errors), is written before the
        // ledger is logged.
        SpoolWriter?.Complete();
        DeadLetters.Complete();
        _stopping.Cancel();
        Log.Stopped(_log, Metrics.Received.Value, Metrics.Delivered.Value, Metrics.DeadLettered.Total, Metrics.Dropped.Total, InFlight, Spooled);
    }

    private bool MayReplay() => Sink.Budget.BelowLowWater && !Sink.RefusedWithin(ReplayQuiet);

    private IProducer<Null, byte[]> BuildProducer(KafkaSettings kafka, long queueBytes)
    {
        try
        {
            return new ProducerBuilder<Null, byte[]>(ProducerSettings.Build(kafka, queueBytes))
                .SetErrorHandler((_, e) => Log.KafkaError(_log, e.Code.ToString(), e.Reason))
                .SetLogHandler((_, m) => Log.Librdkafka(_log, m.Facility, m.Message))
                .Build();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Confluent.Kafka's answers to a property librdkafka does not know (the first) or a value it refuses
            // (the second): config errors, reported like the others.
            throw new KafkaException(new Error(ErrorCode.Local_InvalidArg, $"kafka.rdkafka: {e.Message}"));
        }
    }

    private void RegisterGauges()
    {
        Metrics.AddGauge("queue_depth", "Lines waiting in the internal queue between the receive thread and the workers.", () => _queue.Depth);
        Metrics.AddGauge("queue_capacity", "Capacity of the internal queue in bytes (socket.queue_bytes).", () => _queue.Capacity);
        Metrics.AddGauge("queue_bytes", "Bytes of the internal queue in use: lines waiting or held by workers, with their headers.", () => _queue.BytesInUse);
        Metrics.AddGauge("kafka_outstanding_bytes", "Bytes of message values handed to librdkafka without a delivery report yet.", () => Sink.OutstandingBytes);
        Metrics.AddGauge("kafka_outstanding_messages", "Messages handed to librdkafka without a delivery report yet.", () => Sink.Outstanding);
        Metrics.AddGauge("kafka_high_water_messages", "Outstanding messages at which workers pause (90% of queue.buffering.max.messages).", () => Sink.HighWater);
        Metrics.AddGauge("kafka_paused", "1 while workers wait for librdkafka's queue to drain to the low-water mark.", () => Sink.Paused ? 1 : 0);
        Metrics.AddGauge("dlq_outstanding_messages", "Dead letters handed to librdkafka for the DLQ topic without a report yet (also counted in kafka_outstanding_messages).", () => DeadLetters.InKafka);
        Metrics.AddGauge("dead_letter_queued_lines", "Dead letters waiting for the dead-letter writer.", () => DeadLetters.Queued);
        Metrics.AddGauge("dead_letter_queued_bytes", "Bytes of lines and messages waiting for the dead-letter writer.", () => DeadLetters.QueuedBytes);
        Metrics.AddGauge("unix_max_dgram_qlen", "net.unix.max_dgram_qlen read at start (datagrams the kernel queues; production wants 512+).", () => MaxDatagramQueueLength ?? double.NaN);
        Metrics.AddGauge("last_delivery_timestamp_seconds", "Unix time of the last delivery report (0: none yet).", () => (Progress.LastDelivery?.ToUnixTimeMilliseconds() ?? 0) / 1000.0);
        Metrics.AddGauge("healthy", "1 when lines make progress or nothing is pending (what the systemd watchdog is fed on).", () => Health.Healthy ? 1 : 0);
        Metrics.AddGauge("spool_bytes", "Bytes of the disk spool's segment files (0 without spool.path).", () => _spool?.Bytes ?? 0);
        Metrics.AddGauge("spool_max_bytes", "spool.max_bytes: the spool's bound; beyond it messages are dropped{reason=\"spool_full\"} (0 without spool.path).", () => _spool is null ? 0 : _config.Spool.MaxBytes);
        Metrics.AddGauge("spool_records", "Messages in the disk spool waiting for replay.", () => _spool?.Records ?? 0);
        Metrics.AddGauge("spool_oldest_age_seconds", "How long ago the oldest message in the spool was received (0 when it is empty).", () => _spool?.OldestAge.TotalSeconds ?? 0);
        Metrics.AddGauge("spool_writer_queued_messages", "Messages waiting for the spool writer.", () => SpoolWriter?.Pending ?? 0);
        Metrics.AddSampledCounter("spool_replayed_total", "Spooled messages replayed to Kafka and acknowledged in the spool (its rate is the replay rate).", () => _spool?.Replayed ?? 0);
        Metrics.AddSampledCounter("spool_corrupt_skipped_total", "Damaged regions of the spool skipped during replay (checksum mismatch, a record cut short inside a segment).", () => _spool?.CorruptSkipped ?? 0);
        Metrics.AddSampledCounter("spool_torn_tails_total", "Incomplete last records (a write cut short by a crash) cut off when the spool was opened.", () => _spool?.TornTails ?? 0);
        Metrics.AddProcessMetrics();
        Metrics.AddBuildInfo(ForwarderMetrics.Version, Library.VersionString, Table.Fingerprint);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
        public static partial void Warning(ILogger logger, string message);

        [LoggerMessage(Level = LogLevel.Warning, Message = "kafka error {Code}: {Reason}")]
        public static partial void KafkaError(ILogger logger, string code, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Facility}: {Message}")]
        public static partial void Librdkafka(ILogger logger, string facility, string message);

        [LoggerMessage(Level = LogLevel.Information, Message = "stopping: socket closed, draining {InFlight} lines in flight")]
        public static partial void Stopping(ILogger logger, long inFlight);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Left} messages not delivered within flush_timeout {TimeoutMs} ms; dead-lettering them to {File}")]
        public static partial void FlushTimedOut(ILogger logger, int left, double timeoutMs, string file);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Left} messages not delivered within flush_timeout {TimeoutMs} ms; spooling them to {Directory} for the next start")]
        public static partial void FlushTimedOutSpooling(ILogger logger, int left, double timeoutMs, string directory);

        [LoggerMessage(Level = LogLevel.Information, Message = "spool {Directory} holds {Records} messages ({Bytes} bytes) from before this start; replaying them")]
        public static partial void SpoolLeftover(ILogger logger, long records, long bytes, string directory);

        [LoggerMessage(Level = LogLevel.Information, Message = "stopped: received {Received}, delivered {Delivered}, dead-lettered {DeadLettered}, dropped {Dropped}, in flight {InFlight}, spooled {Spooled}")]
        public static partial void Stopped(ILogger logger, long received, long delivered, long deadLettered, long dropped, long inFlight, long spooled);
    }
}
