using Confluent.Kafka;
using HaproxyKafka.Forwarder.Kafka;

namespace HaproxyKafka.Harness;

/// <summary>Reads a topic from the beginning with a real consumer until enough messages arrived or time ran out.</summary>
public static class TopicReader
{
    public static IReadOnlyList<ConsumedMessage> Read(string bootstrapServers, string topic, int partitions, int atLeast, TimeSpan timeout)
    {
        KafkaNativeLibrary.EnsureInstalled();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "haproxykafka-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var messages = new List<ConsumedMessage>();
        var deadline = DateTime.UtcNow + timeout;
        while (messages.Count < atLeast && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is { } message)
            {
                messages.Add(new ConsumedMessage(result.Partition.Value, result.Offset.Value, message.Value, message.Timestamp.UtcDateTime,
                    message.Headers?.Select(h => KeyValuePair.Create(h.Key, h.GetValueBytes())).ToArray() ?? []));
            }
        }

        consumer.Close();
        return messages;
    }
}

public sealed record ConsumedMessage(int Partition, long Offset, byte[] Value, DateTime Timestamp, IReadOnlyList<KeyValuePair<string, byte[]>> Headers)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Value);
}
