using Confluent.Kafka;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Receiving;
using HaproxyKafka.Harness;
using Microsoft.Extensions.Logging.Abstractions;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests;

/// <summary>
/// The daemon's pieces behind the receive thread, wired as the daemon wires them but in this process: the internal
/// queue, the Kafka sink and the dead-letter sink on one real producer to <see cref="InProcessKafka"/>, a dead-letter
/// file in a scratch directory, and the metrics. Reports arrive when the test calls <see cref="Settle"/>.
/// </summary>
internal sealed class SinkRig : IDisposable
{
    private readonly TempDirectory _scratch = TempDirectory.InMemory();

    /// <param name="dlqTopic">The DLQ topic; null for the shipped one, empty for "straight to the file".</param>
    /// <param name="queueLimit">librdkafka's queue limit as the sink sees it (its water marks).</param>
    /// <param name="queueBytes">Bytes of the internal queue's ring (<c>socket.queue_bytes</c>).</param>
    /// <param name="deadLetterPath">The dead-letter file; null for one in the scratch directory.</param>
    /// <param name="producerSettings">librdkafka properties for the producer.</param>
    public SinkRig(string? dlqTopic = null, int queueLimit = 100_000, int queueBytes = 1 << 20, string? deadLetterPath = null, params (string Name, string Value)[] producerSettings)
    {
        Kafka = new InProcessKafka();
        Producer = Kafka.Producer(producerSettings);
        Queue = new LineQueue(queueBytes);
        DeadLetterPath = deadLetterPath ?? _scratch.File("dead-letters.jsonl");
        DeadLetterFile = new DeadLetterFile(DeadLetterPath);
        Metrics = TestMetrics.Create(() => InFlight);
        Progress = new ProgressClock();
        DeadLetters = new DeadLetterSink(Producer, dlqTopic ?? ShippedTable.DlqTopic, DeadLetterFile, Metrics, ShippedTable.Host, NullLogger.Instance);
        Sink = new KafkaSink(Producer, ShippedTable.Topic, queueLimit, Metrics, DeadLetters, Progress);
    }

    public InProcessKafka Kafka { get; }

    public IProducer<Null, byte[]> Producer { get; }

    public LineQueue Queue { get; }

    public string Scratch => _scratch.Path;

    public string DeadLetterPath { get; }

    public DeadLetterFile DeadLetterFile { get; }

    public ForwarderMetrics Metrics { get; }

    public ProgressClock Progress { get; }

    public DeadLetterSink DeadLetters { get; }

    public KafkaSink Sink { get; }

    /// <summary>Measured as the daemon measures it: internal queue and workers, librdkafka, the DLQ on its way.</summary>
    public long InFlight => Queue.Pending + Sink.Outstanding + DeadLetters.Outstanding;

    public Ledger Ledger => TestMetrics.Ledger(Metrics, InFlight);

    /// <summary>Sends what librdkafka holds and waits until every delivery report (and any dead letter they cause) is handled.</summary>
    public void Settle() => DeadLetters.Flush(Producer, TimeSpan.FromSeconds(20)).Should().Be(0, "the in-process broker takes everything");

    /// <summary>What the dead-letter file holds, read the way <c>haproxykafka replay</c> reads it.</summary>
    public IReadOnlyList<DeadLetter> FileLetters() => File.Exists(DeadLetterPath) ? [.. DeadLetterFile.Read(DeadLetterPath)] : [];

    public void Dispose()
    {
        DeadLetters.Dispose();
        Kafka.Dispose();
        DeadLetterFile.Dispose();
        Queue.Dispose();
        _scratch.Dispose();
    }
}
