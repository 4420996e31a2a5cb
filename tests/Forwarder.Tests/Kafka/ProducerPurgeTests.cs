using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Harness;

namespace HaproxyKafka.Forwarder.Tests.Kafka;

/// <summary>
/// <see cref="ProducerPurge"/> on the daemon's producer and Debian's librdkafka: what Kafka has not taken becomes a
/// delivery report with a purge error, headers intact (the dead-letter sink reads its reason from them). Also the
/// guard for a Confluent.Kafka upgrade: the purge reaches an internal getter, and this fails if it moved.
/// </summary>
public class ProducerPurgeTests
{
    private const string Topic = "webrequest_frontend_text";

    [Fact]
    public void Purge_turns_every_undelivered_message_into_a_purge_report()
    {
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic(Topic);
        cluster.SetBrokerDown(1, down: true);
        using var daemon = new DaemonProducer(cluster.BootstrapServers, Topic);
        var reports = new ConcurrentQueue<DeliveryReport<Null, byte[]>>();
        for (var i = 0; i < 50; i++)
        {
            daemon.Producer.Produce(Topic, new Message<Null, byte[]>
            {
                Value = Encoding.UTF8.GetBytes($"{{\"sequence\":{i}}}"),
                Headers = new Headers { { "reason", Encoding.UTF8.GetBytes("delivery_failed") } },
            }, reports.Enqueue);
        }

        daemon.Producer.Flush(TimeSpan.FromMilliseconds(200)).Should().Be(50, "the broker is down: nothing can be delivered");
        reports.Should().BeEmpty();

        ProducerPurge.TryPurge(daemon.Producer).Should().BeTrue();

        daemon.Producer.Flush(TimeSpan.FromSeconds(30)).Should().Be(0, "every purged message has its report");
        reports.Should().HaveCount(50);
        reports.Should().OnlyContain(r => r.Error.Code == ErrorCode.Local_PurgeQueue || r.Error.Code == ErrorCode.Local_PurgeInflight, daemon.Events);
        reports.Should().OnlyContain(r => r.Status == PersistenceStatus.NotPersisted);
        reports.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("reason"))).Should().AllBe("delivery_failed");
        reports.Select(r => Encoding.UTF8.GetString(r.Message.Value)).Should().BeEquivalentTo(Enumerable.Range(0, 50).Select(i => $"{{\"sequence\":{i}}}"));
    }

    [Fact]
    public void A_disposed_producer_is_not_purged()
    {
        var daemon = new DaemonProducer("127.0.0.1:9", Topic);
        daemon.Dispose();

        ProducerPurge.TryPurge(daemon.Producer).Should().BeFalse();
    }
}
