using System.Globalization;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary><c>kafka.rdkafka</c> passed to librdkafka unchanged and in file order (the last of two aliases wins, as in production).</summary>
internal static class ProducerSettings
{
    private const int LibrdkafkaDefaultQueueMessages = 100_000;

    public static ProducerConfig Build(KafkaSettings kafka)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in kafka.Rdkafka)
        {
            properties[property.Name] = property.Value;
        }

        return new ProducerConfig(properties);
    }

    /// <summary>librdkafka's own queue limit, which sets the sink's high-water mark.</summary>
    public static int QueueLimit(KafkaSettings kafka)
    {
        var setting = kafka.Rdkafka.LastOrDefault(p => RdkafkaAliases.CanonicalName(p.Name) == "queue.buffering.max.messages");
        return setting is not null && int.TryParse(setting.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : LibrdkafkaDefaultQueueMessages;
    }
}
