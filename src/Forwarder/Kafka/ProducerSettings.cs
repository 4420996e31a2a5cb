using System.Globalization;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// <c>kafka.rdkafka</c> passed to librdkafka unchanged and in file order (the last of two aliases wins, as in
/// production), after two defaults of the daemon's own that an entry in the file overrides:
/// <list type="bullet">
/// <item><c>dotnet.producer.delivery.report.fields: value,headers,status</c>: reports carry only what the daemon
/// reads (the value, to dead-letter a failed message and count its bytes; headers, for the DLQ's reason; the
/// persistence status), not the key and the broker timestamp the client otherwise marshals for every message.</item>
/// <item><c>queue.buffering.max.kbytes</c>: the same byte budget as the internal queue (<c>socket.queue_bytes</c>),
/// so what librdkafka holds is bounded in bytes too (its own default is 1 GiB).</item>
/// </list>
/// </summary>
internal static class ProducerSettings
{
    public const string DeliveryReportFields = "value,headers,status";

    private const int LibrdkafkaDefaultQueueMessages = 100_000;

    public static ProducerConfig Build(KafkaSettings kafka, long queueBytes = 0)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dotnet.producer.delivery.report.fields"] = DeliveryReportFields,
        };
        if (queueBytes > 0)
        {
            properties["queue.buffering.max.kbytes"] = Math.Max(1, queueBytes / 1024).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var property in kafka.Rdkafka)
        {
            if (RdkafkaAliases.CanonicalName(property.Name) == "queue.buffering.max.kbytes")
            {
                properties.Remove("queue.buffering.max.kbytes");
            }

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

    /// <summary>librdkafka's queue limit in bytes: the file's <c>queue.buffering.max.kbytes</c>, else the budget.</summary>
    public static long QueueBytes(KafkaSettings kafka, long queueBytes)
    {
        var setting = kafka.Rdkafka.LastOrDefault(p => RdkafkaAliases.CanonicalName(p.Name) == "queue.buffering.max.kbytes");
        return setting is not null && long.TryParse(setting.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kbytes) && kbytes > 0
            ? kbytes * 1024
            : Math.Max(1024, queueBytes);
    }
}
