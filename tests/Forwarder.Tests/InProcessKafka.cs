using Confluent.Kafka;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Harness;

namespace HaproxyKafka.Forwarder.Tests;

/// <summary>
/// librdkafka's Kafka-protocol broker in this process, with the shipped table's topics, and producers for it. Their
/// messages wait in librdkafka until <c>Flush</c> (linger a minute): a test decides when delivery reports arrive.
/// </summary>
internal sealed class InProcessKafka : IDisposable
{
    private readonly List<IProducer<Null, byte[]>> _producers = [];

    public InProcessKafka()
    {
        KafkaNativeLibrary.EnsureInstalled();
        Cluster = new MockKafkaCluster();
        Cluster.CreateTopic(ShippedTable.Topic);
        Cluster.CreateTopic(ShippedTable.DlqTopic);
    }

    public MockKafkaCluster Cluster { get; }

    /// <param name="settings">librdkafka properties on top of the defaults (a broker, linger.ms 60000).</param>
    public IProducer<Null, byte[]> Producer(params (string Name, string Value)[] settings)
    {
        var config = new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, LingerMs = 60_000 };
        foreach (var (name, value) in settings)
        {
            config.Set(name, value);
        }

        var producer = new ProducerBuilder<Null, byte[]>(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
        _producers.Add(producer);

        // Messages for a topic the producer has no metadata for wait in librdkafka until its next housekeeping round
        // (about a second) even when flushed; asking for the metadata first makes a flush send at once.
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        admin.GetMetadata(ShippedTable.Topic, TimeSpan.FromSeconds(10));
        admin.GetMetadata(ShippedTable.DlqTopic, TimeSpan.FromSeconds(10));
        return producer;
    }

    public Task<IReadOnlyList<ConsumedMessage>> ReadAsync(string topic, int atLeast) =>
        Kcat.ReadMessagesAsync(Cluster.BootstrapServers, topic, atLeast, TimeSpan.FromSeconds(20));

    public void Dispose()
    {
        foreach (var producer in _producers)
        {
            producer.Dispose();
        }

        Cluster.Dispose();
    }
}
