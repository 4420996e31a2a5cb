using System.Diagnostics;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Spool;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// Produces mapped lines with <c>Produce</c> (never an awaited call per line). A line counts as delivered only in its
/// delivery report. What librdkafka holds is bounded with hysteresis, in messages and in bytes: at the high-water
/// marks (90% of <c>queue.buffering.max.messages</c> and <c>queue.buffering.max.kbytes</c>) workers pause until the
/// reports bring both to the low-water marks (half), so <c>Local: Queue full</c> is the exception, not the control
/// flow; while they pause, the internal queue absorbs the burst and the receive thread keeps reading
/// (<see cref="WaterMarks"/>). Reports are handled per batch of lines received together
/// (<see cref="ReportsFor"/>), which is how <c>delivery_latency_seconds</c> measures from the datagram's receipt.
/// <para>
/// With a disk spool (<see cref="UseSpool"/>), a worker that has waited <see cref="SpillAfter"/> at the high-water mark
/// spools its messages instead of waiting on a broker that is not draining, until the marks come back down; a delivery
/// failure that is transient (<see cref="DeliveryErrors"/>) goes to the spool instead of the dead letters; and
/// <see cref="ReplayAsync"/> produces what the spool gives back.
/// </para>
/// </summary>
internal sealed class KafkaSink
{
    private readonly IProducer<Null, byte[]> _producer;
    private readonly string _topic;
    private readonly ForwarderMetrics _metrics;
    private readonly DeadLetterSink _deadLetters;
    private readonly ProgressClock _progress;
    private readonly WaterMarks _marks;
    private volatile bool _shuttingDown;
    private volatile bool _spilling;
    private SpoolWriter? _spool;
    private long _lastTransientFailure;
    private long _unspooled;

    public KafkaSink(IProducer<Null, byte[]> producer, string topic, int queueLimit, ForwarderMetrics metrics, DeadLetterSink deadLetters, ProgressClock progress, long queueBytes = long.MaxValue)
    {
        _producer = producer;
        _topic = topic;
        _metrics = metrics;
        _deadLetters = deadLetters;
        _progress = progress;
        _marks = new WaterMarks(queueLimit, queueBytes);
    }

    /// <summary>
    /// How long a worker at the high-water mark waits for the reports to bring the marks down before it spools: long
    /// enough for a healthy broker's burst to drain, short enough that the internal queue does not fill meanwhile.
    /// </summary>
    public static readonly TimeSpan SpillAfter = TimeSpan.FromMilliseconds(500);

    public long Outstanding => _marks.Outstanding;

    /// <summary>Spooled records produced again by <see cref="ReplayAsync"/> (they leave the spool's column of the ledger).</summary>
    public long Unspooled => Interlocked.Read(ref _unspooled);

    /// <summary>True while workers spool what the in-flight budget has no room for (until a worker finds room again).</summary>
    public bool Spilling => _spilling && _marks.Paused;

    public long OutstandingBytes => _marks.OutstandingBytes;

    public bool Paused => _marks.Paused;

    public long HighWater => _marks.High;

    public long LowWater => _marks.Low;

    /// <summary>The in-flight budget, shared with the dead-letter sink so DLQ messages count against it too.</summary>
    public WaterMarks Budget => _marks;

    /// <summary>From now on transient delivery failures, and what the in-flight budget has no room for, go to the spool.</summary>
    public void UseSpool(SpoolWriter spool) => _spool = spool;

    /// <summary>True when Kafka reported a transient failure within <paramref name="quiet"/>: replaying now would only fail again.</summary>
    public bool RefusedWithin(TimeSpan quiet)
    {
        var last = Interlocked.Read(ref _lastTransientFailure);
        return last != 0 && Stopwatch.GetElapsedTime(last) < quiet;
    }

    /// <summary>Delivery failures from now on go straight to the file: the shutdown flush has given up on Kafka.</summary>
    public void ShuttingDown() => _shuttingDown = true;

    /// <summary>
    /// The delivery handler for lines received at <paramref name="receivedAt"/> (a <see cref="Stopwatch"/>
    /// timestamp): one small object per received batch, not per line.
    /// </summary>
    public Action<DeliveryReport<Null, byte[]>> ReportsFor(long receivedAt) => new ReceivedTogether(this, receivedAt).OnDelivery;

    /// <summary>Produces a line received just now (tests and tools; the workers pass their batch's handler).</summary>
    public void Produce(ReadOnlySpan<byte> json, CancellationToken stopping) => Produce(json, stopping, ReportsFor(Stopwatch.GetTimestamp()));

    public void Produce(ReadOnlySpan<byte> json, CancellationToken stopping, Action<DeliveryReport<Null, byte[]>> onDelivery)
    {
        if (_marks.MustPause())
        {
            if (_spool is not { } spool)
            {
                _metrics.KafkaQueueSaturation.Add();
                _marks.WaitForRoom(stopping);
            }
            else if (_spilling || !WaitedForRoom(stopping))
            {
                _spilling = true;
                spool.AddWaiting(new SpoolRecord(_topic, ReceivedAt(onDelivery), json.ToArray()), Reasons.OverBudget, stopping);
                _metrics.Valid.Add();
                return;
            }
        }

        if (_spilling)
        {
            // Room again: the spilling episode is over (read before written, so the hot path does not write the flag).
            _spilling = false;
        }

        // Confluent.Kafka takes a whole array as the value; this copy is the one allocation per message.
        var message = new Message<Null, byte[]> { Value = json.ToArray() };
        _marks.Added(message.Value.Length);
        while (true)
        {
            try
            {
                _producer.Produce(_topic, message, onDelivery);
                _metrics.Valid.Add();
                return;
            }
            catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _metrics.KafkaQueueSaturation.Add();
                Thread.Sleep(1);
            }
            catch (KafkaException e)
            {
                _marks.Withdrawn(message.Value.Length);
                _deadLetters.Undelivered(Reasons.ProduceFailed, e.Error.Reason, _topic, message.Value);
                return;
            }
        }
    }

    /// <summary>
    /// Produces records the spool gives back and completes once each has its delivery report: true when each was
    /// delivered or refused for good (dead-lettered), so the caller may move the spool's cursor past them. A transient
    /// failure is not spooled again (the record is still in the spool): the answer is false and the caller reads the
    /// batch again later, so replay is at least once. On <paramref name="stopping"/> it answers false at once: the
    /// batch stays in the spool for the next start, and the drain settles what librdkafka still holds.
    /// </summary>
    public async Task<bool> ReplayAsync(IReadOnlyList<SpoolRecord> records, CancellationToken stopping)
    {
        var batch = new ReplayedBatch(records.Count);
        foreach (var record in records)
        {
            var message = new Message<Null, byte[]> { Value = record.Value };
            _marks.Added(record.Value.Length);
            Interlocked.Increment(ref _unspooled);
            var handler = new Replayed(this, batch).OnDelivery;
            while (true)
            {
                try
                {
                    _producer.Produce(record.Topic, message, handler);
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    _metrics.KafkaQueueSaturation.Add();
                    await Task.Delay(1, CancellationToken.None);
                }
                catch (KafkaException e)
                {
                    _marks.Withdrawn(record.Value.Length);
                    _deadLetters.Undelivered(Reasons.ProduceFailed, e.Error.Reason, record.Topic, record.Value);
                    batch.Settled();
                    break;
                }
            }
        }

        try
        {
            await batch.AllSettled.WaitAsync(stopping);
            return !batch.Failed;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static DateTimeOffset WallClock(long receivedAt) => DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(receivedAt);

    /// <summary>When the line of a worker's message was received: its batch's handler knows.</summary>
    private static DateTimeOffset ReceivedAt(Action<DeliveryReport<Null, byte[]>> onDelivery) =>
        onDelivery.Target is ReceivedTogether together ? WallClock(together.ReceivedAt) : DateTimeOffset.UtcNow;

    /// <summary>The bounded wait at the high-water mark; saturation is counted once per pause, not per spooled line.</summary>
    private bool WaitedForRoom(CancellationToken stopping)
    {
        _metrics.KafkaQueueSaturation.Add();
        return _marks.WaitForRoom(SpillAfter, stopping);
    }

    private void OnDelivery(DeliveryReport<Null, byte[]> report, long receivedAt)
    {
        // The report carries the value (dotnet.producer.delivery.report.fields includes it, ProducerSettings): the
        // bytes to give back, and what a failed message is spooled or dead-lettered with.
        var value = report.Message?.Value ?? [];
        if (!report.Error.IsError)
        {
            _metrics.DeliveryLatency.Observe(Stopwatch.GetElapsedTime(receivedAt).TotalSeconds);
            Delivered();
        }
        else if (_spool is { } spool && DeliveryErrors.IsTransient(report.Error))
        {
            _metrics.KafkaMessageSaturation.Add();
            Interlocked.Exchange(ref _lastTransientFailure, Stopwatch.GetTimestamp());
            spool.Add(new SpoolRecord(_topic, WallClock(receivedAt), value), _shuttingDown ? Reasons.SpooledAtShutdown : Reasons.DeliveryFailed);
        }
        else
        {
            DeadLetter(report, value);
        }

        _marks.Reported(value.Length);
    }

    private void OnReplayed(DeliveryReport<Null, byte[]> report, ReplayedBatch batch)
    {
        var value = report.Message?.Value ?? [];
        if (!report.Error.IsError)
        {
            Delivered();
        }
        else if (DeliveryErrors.IsTransient(report.Error))
        {
            // Still in the spool (the batch is not acknowledged): back in the ledger's spool column, read again later.
            _metrics.KafkaMessageSaturation.Add();
            Interlocked.Exchange(ref _lastTransientFailure, Stopwatch.GetTimestamp());
            Interlocked.Decrement(ref _unspooled);
            batch.Fail();
        }
        else
        {
            DeadLetter(report, value);
        }

        _marks.Reported(value.Length);
    }

    private void Delivered()
    {
        _metrics.Delivered.Add();
        _progress.Settled();
    }

    private void DeadLetter(DeliveryReport<Null, byte[]> report, byte[] value)
    {
        _metrics.KafkaMessageSaturation.Add();
        var reason = _shuttingDown ? Reasons.ShutdownUndelivered : Reasons.DeliveryFailed;
        _deadLetters.Undelivered(reason, report.Error.Reason, _topic, value);
    }

    /// <summary>Lines received in one batch share when they were received, and so one delivery handler.</summary>
    private sealed class ReceivedTogether(KafkaSink sink, long receivedAt)
    {
        public long ReceivedAt => receivedAt;

        public void OnDelivery(DeliveryReport<Null, byte[]> report) => sink.OnDelivery(report, receivedAt);
    }

    /// <summary>
    /// A replayed record's report. Not observed in <c>delivery_latency_seconds</c>: that histogram is fresh lines'
    /// latency, and an outage's backlog would swamp it (<c>spool_oldest_age_seconds</c> tells the backlog's age).
    /// </summary>
    private sealed class Replayed(KafkaSink sink, ReplayedBatch batch)
    {
        public void OnDelivery(DeliveryReport<Null, byte[]> report)
        {
            try
            {
                sink.OnReplayed(report, batch);
            }
            finally
            {
                batch.Settled();
            }
        }
    }

    /// <summary>Counts a replay batch's reports down to zero, and whether any failed transiently.</summary>
    private sealed class ReplayedBatch(int records)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _left = records;
        private volatile bool _failed;

        public Task AllSettled => Volatile.Read(ref _left) <= 0 ? Task.CompletedTask : _all.Task;

        public bool Failed => _failed;

        public void Fail() => _failed = true;

        public void Settled()
        {
            if (Interlocked.Decrement(ref _left) == 0)
            {
                _all.TrySetResult();
            }
        }
    }
}
