using Confluent.Kafka;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Metrics;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// Produces mapped lines with <c>Produce</c> and one shared delivery handler (never an awaited call per line). A line
/// counts as delivered only in its delivery report. The number of messages librdkafka holds is bounded with
/// hysteresis: at the high-water mark (90% of <c>queue.buffering.max.messages</c>) workers pause until it falls
/// to the low-water mark (half), so <c>Local: Queue full</c> is the exception, not the control flow; while they
/// pause, the internal queue absorbs the burst and the receive thread keeps reading (<see cref="WaterMarks"/>).
/// </summary>
internal sealed class KafkaSink
{
    private readonly IProducer<Null, byte[]> _producer;
    private readonly string _topic;
    private readonly ForwarderMetrics _metrics;
    private readonly DeadLetterSink _deadLetters;
    private readonly ProgressClock _progress;
    private readonly Action<DeliveryReport<Null, byte[]>> _onDelivery;
    private readonly WaterMarks _marks;
    private volatile bool _shuttingDown;

    public KafkaSink(IProducer<Null, byte[]> producer, string topic, int queueLimit, ForwarderMetrics metrics, DeadLetterSink deadLetters, ProgressClock progress)
    {
        _producer = producer;
        _topic = topic;
        _metrics = metrics;
        _deadLetters = deadLetters;
        _progress = progress;
        _marks = new WaterMarks(queueLimit);
        _onDelivery = OnDelivery;
    }

    public long Outstanding => _marks.Outstanding;

    public bool Paused => _marks.Paused;

    public long HighWater => _marks.High;

    public long LowWater => _marks.Low;

    /// <summary>The in-flight budget, shared with the dead-letter sink so DLQ messages count against it too.</summary>
    public WaterMarks Budget => _marks;

    /// <summary>Delivery failures from now on go straight to the file: the shutdown flush has given up on Kafka.</summary>
    public void ShuttingDown() => _shuttingDown = true;

    public void Produce(ReadOnlySpan<byte> json, CancellationToken stopping)
    {
        if (_marks.MustPause())
        {
            _metrics.Saturated(Reasons.KafkaQueueChannel);
            _marks.WaitForRoom(stopping);
        }

        // Confluent.Kafka takes a whole array as the value; this copy is the one allocation per message.
        var message = new Message<Null, byte[]> { Value = json.ToArray() };
        _marks.Added();
        while (true)
        {
            try
            {
                _producer.Produce(_topic, message, _onDelivery);
                _metrics.Valid.Add();
                return;
            }
            catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                _metrics.Saturated(Reasons.KafkaQueueChannel);
                Thread.Sleep(1);
            }
            catch (KafkaException e)
            {
                _marks.Withdrawn();
                _deadLetters.Undelivered(Reasons.ProduceFailed, e.Error.Reason, _topic, message.Value);
                return;
            }
        }
    }

    private void OnDelivery(DeliveryReport<Null, byte[]> report)
    {
        if (report.Error.IsError)
        {
            _metrics.Saturated(Reasons.KafkaMessageChannel);
            var reason = _shuttingDown ? Reasons.ShutdownUndelivered : Reasons.DeliveryFailed;
            _deadLetters.Undelivered(reason, report.Error.Reason, report.Topic, report.Message.Value);
        }
        else
        {
            _metrics.Delivered.Add();
            _progress.Settled();
            if (report.Message.Timestamp.Type != TimestampType.NotAvailable)
            {
                _metrics.DeliveryLatency.Observe(Math.Max(0, (DateTime.UtcNow - report.Message.Timestamp.UtcDateTime).TotalSeconds));
            }
        }

        _marks.Reported();
    }
}
