using System.Collections.Concurrent;
using System.Globalization;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Kafka;

namespace HaproxyKafka.Forwarder.Tests.Kafka;

/// <summary>
/// The daemon's producer, built as the daemon builds it: a forwarder config read from YAML text, its
/// <c>kafka.rdkafka</c> turned into librdkafka settings by <see cref="ProducerSettings"/>, error and log handlers set,
/// on Debian's librdkafka.so.1 through <see cref="KafkaNativeLibrary"/>. Errors and logs are kept for failure messages.
/// </summary>
internal sealed class DaemonProducer : IDisposable
{
    private readonly ConcurrentQueue<string> _events = new();

    public DaemonProducer(string bootstrapServers, string topic, int queueMessages = 720000)
    {
        var loaded = ForwarderConfigLoader.Load(ConfigText(bootstrapServers, topic, queueMessages), "config.yaml");
        Config = loaded.Config ?? throw new InvalidOperationException(string.Join('\n', loaded.Diagnostics));
        Producer = new ProducerBuilder<Null, byte[]>(ProducerSettings.Build(Config.Kafka))
            .SetErrorHandler((_, e) => _events.Enqueue($"error {e.Code}: {e.Reason}"))
            .SetLogHandler((_, m) => _events.Enqueue($"log {m.Facility}: {m.Message}"))
            .Build();
    }

    public ForwarderConfig Config { get; }

    public IProducer<Null, byte[]> Producer { get; }

    /// <summary>What librdkafka said through the error and log handlers, for assertion messages.</summary>
    public string Events => string.Join('\n', _events);

    public void Dispose() => Producer.Dispose();

    /// <summary>Production's Kafka settings (snappy, acks=all, its batching) with a loopback broker.</summary>
    private static string ConfigText(string bootstrapServers, string topic, int queueMessages) => string.Create(CultureInfo.InvariantCulture, $"""
        sdid: haproxykafka@0
        hostname: cp9999.test.wmnet
        socket:
          path: /run/haproxykafka/haproxykafka.sock
        kafka:
          topic: {topic}
          dlq_topic: webrequest_errors
          flush_timeout: 2000
          rdkafka:
            bootstrap.servers: {bootstrapServers}
            acks: all
            compression.codec: snappy
            queue.buffering.max.messages: {queueMessages}
            queue.buffering.max.ms: 10
            batch.num.messages: 9000
            reconnect.backoff.max.ms: 500
        parser_table: parser-table.json
        """);
}
