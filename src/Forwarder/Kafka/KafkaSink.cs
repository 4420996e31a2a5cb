using System.Diagnostics;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Metrics;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// Produces mapped lines with <c>Produce</c> (never an awaited call per line). A line counts as delivered only in its
/// delivery report. What librdkafka holds is bounded with hysteresis, in messages and in bytes: at the high-water
/// marks (90% of <c>queue.buffering.max.messages</c> and <c>queue.buffering.max.kbytes</c>) workers pause until the
/// reports bring both to the low-water marks (half), so <c>Local: Queue full</c> is the exception, not the control
/// flow; while they pause, the internal queue absorbs the burst and the receive thread keeps reading
/// (<see cref="WaterMarks"/>). Reports are handled per batch of lines received together
/// (<see cref="ReportsFor"/>), which is how <c>delivery_latency_seconds</c> measures from the datagram's receipt.
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

    public KafkaSink(IProducer<Null, byte[]> producer, string topic, int queueLimit, ForwarderMetrics metrics, DeadLetterSink deadLetters, ProgressClock progress, long queueBytes = long.MaxValue)
    {
        _producer = producer;
        _topic = topic;
        _metrics = metrics;
        _deadLetters = deadLetters;
        _progress = progress;
        _marks = new WaterMarks(queueLimit, queueBytes);
    }

    public long Outstanding => _marks.Outstanding;

    public long OutstandingBytes => _marks.OutstandingBytes;

    public bool Paused => _marks.Paused;

    public long HighWater => _marks.High;

    public long LowWater => _marks.Low;

    /// <summary>The in-flight budget, shared with the dead-letter sink so DLQ messages count against it too.</summary>
    public WaterMarks Budget => _marks;

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
            _metrics.KafkaQueueSaturation.Add();
            _marks.WaitForRoom(stopping);
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

    private void OnDelivery(DeliveryReport<Null, byte[]> report, long receivedAt)
    {
        // The report carries the value (dotnet.producer.delivery.report.fields includes it, ProducerSettings): the
        // bytes to give back, and what a failed message is dead-lettered with.
        var value = report.Message?.Value ?? [];
        if (report.Error.IsError)
        {
            _metrics.KafkaMessageSaturation.Add();
            var reason = _shuttingDown ? Reasons.ShutdownUndelivered : Reasons.DeliveryFailed;
            _deadLetters.Undelivered(reason, report.Error.Reason, _topic, value);
        }
        else
        {
            _metrics.Delivered.Add();
            _progress.Settled();
            _metrics.DeliveryLatency.Observe(Stopwatch.GetElapsedTime(receivedAt).TotalSeconds);
        }

        _marks.Reported(value.Length);
    }

    /// <summary>Lines received in one batch share when they were received, and so one delivery handler.</summary>
    private sealed class ReceivedTogether(KafkaSink sink, long receivedAt)
    {
        public void OnDelivery(DeliveryReport<Null, byte[]> report) => sink.OnDelivery(report, receivedAt);
    }
}
