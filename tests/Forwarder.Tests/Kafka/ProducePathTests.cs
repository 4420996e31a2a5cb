using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using HaproxyKafka.Harness;

namespace HaproxyKafka.Forwarder.Tests.Kafka;

/// <summary>
/// Confluent.Kafka 2.16's produce path on Debian's librdkafka 2.0.2, with the daemon's own settings, against
/// librdkafka's Kafka-protocol broker; kcat, a separate client, reads back what the broker holds.
/// </summary>
public class ProducePathTests
{
    private const string Topic = "webrequest_frontend_text";
    private static readonly DateTime CreateTime = new(2024, 5, 23, 15, 23, 41, 859, DateTimeKind.Utc);

    [Fact]
    public async Task Every_message_is_persisted_and_kcat_reads_back_the_same_bytes_and_headers()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic(Topic, partitions: 3);
        using var daemon = new DaemonProducer(cluster.BootstrapServers, Topic);
        var reports = new ConcurrentQueue<DeliveryReport<Null, byte[]>>();
        var sent = Enumerable.Range(0, 2000).Select(Message).ToList();

        foreach (var message in sent)
        {
            daemon.Producer.Produce(Topic, message, reports.Enqueue);
        }

        daemon.Producer.Flush(TimeSpan.FromSeconds(60)).Should().Be(0, daemon.Events);
        reports.Should().HaveCount(sent.Count);
        reports.Should().OnlyContain(r => r.Error.Code == ErrorCode.NoError && r.Status == PersistenceStatus.Persisted, daemon.Events);
        reports.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("reason"))).Should().OnlyContain(h => h.StartsWith("reason-", StringComparison.Ordinal));

        var onBroker = await Kcat.ReadMessagesAsync(cluster.BootstrapServers, Topic, sent.Count, TimeSpan.FromSeconds(60));
        onBroker.Should().HaveCount(sent.Count);
        // The timestamp is checked on the broker, not in the reports: librdkafka 2.0.2's mock broker answers every
        // produce with LogAppendTime 1234 ms, which librdkafka then puts in the report.
        onBroker.Should().OnlyContain(m => m.Timestamp == CreateTime);
        Keyed(onBroker.Select(m => (m.Value, m.Headers.Single(h => h.Key == "reason").Value)))
            .Should().Equal(Keyed(sent.Select(m => (m.Value, m.Headers.GetLastBytes("reason")))));
    }

    [Fact]
    public async Task A_full_local_queue_is_retried_after_polling_until_every_message_is_delivered()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic(Topic);
        using var daemon = new DaemonProducer(cluster.BootstrapServers, Topic, queueMessages: 10);
        var reports = new ConcurrentQueue<DeliveryReport<Null, byte[]>>();
        var sent = Enumerable.Range(0, 300).Select(Message).ToList();

        // With the broker down nothing leaves librdkafka, so the 11th message must meet a full queue.
        cluster.SetBrokerDown(1, down: true);
        var queueFull = 0;
        foreach (var message in sent)
        {
            while (true)
            {
                try
                {
                    daemon.Producer.Produce(Topic, message, reports.Enqueue);
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // What KafkaSink does when its high-water mark did not prevent it: wait for reports, then retry.
                    if (queueFull++ == 0)
                    {
                        cluster.SetBrokerDown(1, down: false);
                    }

                    daemon.Producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }
        }

        queueFull.Should().BePositive("queue.buffering.max.messages=10 is reached while the broker is down");
        daemon.Producer.Flush(TimeSpan.FromSeconds(60)).Should().Be(0, daemon.Events);
        reports.Should().HaveCount(sent.Count);
        reports.Should().OnlyContain(r => r.Error.Code == ErrorCode.NoError && r.Status == PersistenceStatus.Persisted, daemon.Events);
        var onBroker = await Kcat.ReadMessagesAsync(cluster.BootstrapServers, Topic, sent.Count, TimeSpan.FromSeconds(60));
        onBroker.Select(m => Convert.ToHexString(m.Value)).Order(StringComparer.Ordinal).Should().Equal(sent.Select(m => Convert.ToHexString(m.Value)).Order(StringComparer.Ordinal), "each message exactly once");
    }

    /// <summary>A mapped line's shape, with what the JSON writer lets through: quotes, backslashes, multi-byte UTF-8, U+FFFD.</summary>
    private static Message<Null, byte[]> Message(int sequence) => new()
    {
        Value = Encoding.UTF8.GetBytes($"{{\"sequence\":{sequence},\"uri_path\":\"/wiki/Zürich_\\\"{sequence}\\\\\",\"user_agent\":\"Mozilla/5.0 \u00e9\u4e2d\ud83d\ude00\ufffd\",\"pad\":\"{new string('x', sequence % 700)}\"}}"),
        Headers = new Headers { { "reason", Encoding.UTF8.GetBytes($"reason-{sequence}") } },
        Timestamp = new Timestamp(CreateTime, TimestampType.CreateTime),
    };

    /// <summary>Header and value as one sortable string: partitions interleave, so the order on the broker is not the sent order.</summary>
    private static IEnumerable<string> Keyed(IEnumerable<(byte[] Value, byte[] Header)> messages) =>
        messages.Select(m => $"{Convert.ToHexString(m.Header)}:{Convert.ToHexString(m.Value)}").Order(StringComparer.Ordinal);
}
