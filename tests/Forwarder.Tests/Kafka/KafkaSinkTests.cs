using System.Text;
using System.Text.Json;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Harness;

namespace HaproxyKafka.Forwarder.Tests.Kafka;

/// <summary>The sink on a real producer and librdkafka's in-process broker; reports arrive when the test settles.</summary>
public class KafkaSinkTests
{
    [Fact]
    public async Task A_message_counts_as_delivered_only_once_its_report_arrives()
    {
        using var rig = new SinkRig();

        for (var i = 0; i < 3; i++)
        {
            rig.Sink.Produce(Message(i), CancellationToken.None);
        }

        TestMetrics.Value(rig.Metrics.Valid).Should().Be(3, "handed to librdkafka");
        TestMetrics.Value(rig.Metrics.Delivered).Should().Be(0, "no report yet");
        rig.Sink.Outstanding.Should().Be(3);
        rig.Progress.LastDelivery.Should().BeNull();

        rig.Settle();

        TestMetrics.Value(rig.Metrics.Delivered).Should().Be(3);
        rig.Sink.Outstanding.Should().Be(0);
        rig.Progress.LastDelivery.Should().NotBeNull();
        TestMetrics.Total(rig.Metrics.DeadLettered).Should().Be(0);
        var onTopic = await rig.Kafka.ReadAsync(ShippedTable.Topic, 3);
        onTopic.Select(m => m.Text).Should().Equal(Enumerable.Range(0, 3).Select(i => Encoding.UTF8.GetString(Message(i))));
    }

    [Fact]
    public async Task At_the_high_water_mark_a_worker_pauses_until_reports_drain_librdkafka_to_the_low_mark()
    {
        // queue.buffering.max.messages 10: high-water 9, low-water 4.
        using var rig = new SinkRig(queueLimit: 10);
        for (var i = 0; i < 9; i++)
        {
            rig.Sink.Produce(Message(i), CancellationToken.None);
        }

        rig.Sink.Paused.Should().BeFalse("8 outstanding was below the mark when the ninth was produced");
        TestMetrics.Value(rig.Metrics.Saturation, Reasons.KafkaQueueChannel).Should().Be(0);

        var tenth = Task.Run(() => rig.Sink.Produce(Message(9), CancellationToken.None));
        SpinWait.SpinUntil(() => TestMetrics.Value(rig.Metrics.Saturation, Reasons.KafkaQueueChannel) == 1, TimeSpan.FromSeconds(10))
            .Should().BeTrue("the tenth finds 9 outstanding and pauses");

        rig.Sink.Paused.Should().BeTrue();
        tenth.IsCompleted.Should().BeFalse("librdkafka holds the nine until the flush; no report has come");
        rig.Sink.Outstanding.Should().Be(9);
        TestMetrics.Value(rig.Metrics.Valid).Should().Be(9);

        rig.Settle();
        await tenth.WaitAsync(TimeSpan.FromSeconds(10));
        rig.Settle();

        rig.Sink.Paused.Should().BeFalse();
        TestMetrics.Value(rig.Metrics.Delivered).Should().Be(10);
        TestMetrics.Value(rig.Metrics.Saturation, Reasons.KafkaQueueChannel).Should().Be(1);
        rig.Ledger.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task When_librdkafka_reports_its_queue_full_the_worker_retries_and_nothing_is_lost()
    {
        // The sink's marks think the queue is large; librdkafka's own is one message.
        using var rig = new SinkRig(producerSettings: ("queue.buffering.max.messages", "1"));
        rig.Sink.Produce(Message(0), CancellationToken.None);

        var second = Task.Run(() => rig.Sink.Produce(Message(1), CancellationToken.None));
        SpinWait.SpinUntil(() => TestMetrics.Value(rig.Metrics.Saturation, Reasons.KafkaQueueChannel) >= 1, TimeSpan.FromSeconds(10))
            .Should().BeTrue("Local: Queue full is counted as kafka-queue saturation");
        second.IsCompleted.Should().BeFalse("the worker waits for room instead of dropping the message");

        rig.Settle();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        rig.Settle();

        TestMetrics.Value(rig.Metrics.Delivered).Should().Be(2);
        TestMetrics.Value(rig.Metrics.Valid).Should().Be(2);
        TestMetrics.Total(rig.Metrics.DeadLettered).Should().Be(0);
        rig.Sink.Outstanding.Should().Be(0);
    }

    [Fact]
    public void A_message_kafka_refuses_is_dead_lettered_with_its_topic_and_mapped_message()
    {
        using var rig = new SinkRig(dlqTopic: string.Empty);
        rig.Kafka.Cluster.RefuseProduceRequests(1);

        rig.Sink.Produce(Message(7), CancellationToken.None);
        rig.Settle();

        TestMetrics.Value(rig.Metrics.Delivered).Should().Be(0);
        TestMetrics.NonZero(rig.Metrics.DeadLettered).Should().Equal(new Dictionary<string, long> { [Reasons.DeliveryFailed] = 1 });
        TestMetrics.Value(rig.Metrics.Saturation, Reasons.KafkaMessageChannel).Should().Be(1);
        var letter = rig.FileLetters().Should().ContainSingle().Subject;
        letter.Reason.Should().Be(Reasons.DeliveryFailed);
        letter.Topic.Should().Be(ShippedTable.Topic);
        letter.Message.Should().Be(Encoding.UTF8.GetString(Message(7)));
        letter.Detail.Should().Contain("authorization", "the broker's error is kept");
        rig.Ledger.Should().Be(new Ledger(Received: 0, Delivered: 0, DeadLettered: 1, Dropped: 0, InFlight: 0));
    }

    [Fact]
    public void After_the_shutdown_flush_gives_up_refused_messages_are_shutdown_undelivered()
    {
        using var rig = new SinkRig(dlqTopic: string.Empty);
        rig.Kafka.Cluster.RefuseProduceRequests(1);
        rig.Sink.Produce(Message(1), CancellationToken.None);

        rig.Sink.ShuttingDown();
        rig.Settle();

        TestMetrics.NonZero(rig.Metrics.DeadLettered).Should().Equal(new Dictionary<string, long> { [Reasons.ShutdownUndelivered] = 1 });
        rig.FileLetters().Should().ContainSingle().Which.Reason.Should().Be(Reasons.ShutdownUndelivered);
    }

    [Fact]
    public void A_message_librdkafka_will_not_take_is_dead_lettered_as_produce_failed_and_not_left_outstanding()
    {
        using var rig = new SinkRig(dlqTopic: string.Empty, producerSettings: ("message.max.bytes", "1000"));
        var large = Message(3, padding: 2000);

        rig.Sink.Produce(large, CancellationToken.None);

        rig.Sink.Outstanding.Should().Be(0, "no report will ever come for it");
        TestMetrics.Value(rig.Metrics.Valid).Should().Be(0);
        rig.DeadLetters.WaitUntilWritten(TimeSpan.FromSeconds(20)).Should().BeTrue("the dead-letter writer takes it off the worker");
        TestMetrics.NonZero(rig.Metrics.DeadLettered).Should().Equal(new Dictionary<string, long> { [Reasons.ProduceFailed] = 1 });
        var letter = rig.FileLetters().Should().ContainSingle().Subject;
        letter.Message.Should().Be(Encoding.UTF8.GetString(large));
        letter.Topic.Should().Be(ShippedTable.Topic);
    }

    private static byte[] Message(int sequence, int padding = 0) =>
        JsonSerializer.SerializeToUtf8Bytes(new { sequence, uri_path = "/wiki/" + new string('x', padding) });
}
