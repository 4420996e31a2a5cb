using System.Text;
using System.Text.Json;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Harness;

namespace HaproxyKafka.Forwarder.Tests.DeadLetters;

/// <summary>Where dead letters go: the DLQ topic when there is one, the file when there is none or Kafka fails.</summary>
public class DeadLetterSinkTests
{
    // Invalid UTF-8 and a newline: the dead letter must keep the exact bytes.
    private static readonly byte[] RawLine = [.. "<134>1 2024-05-23T15:23:41Z - haproxy 1 - - x"u8, 0xC3, 0x28, 0xFF, (byte)'\n'];

    [Fact]
    public async Task With_a_dlq_topic_dead_letters_reach_it_with_their_reason_and_are_counted_once_there()
    {
        using var rig = new SinkRig();
        var message = """{"sequence":7}"""u8.ToArray();

        rig.DeadLetters.Rejected("malformed", "not an RFC 5424 line", RawLine);
        rig.DeadLetters.Undelivered(Reasons.DeliveryFailed, "Broker: Topic authorization failed", ShippedTable.Topic, message);

        rig.DeadLetters.Outstanding.Should().Be(2);
        TestMetrics.Total(rig.Metrics.DeadLettered).Should().Be(0, "a dead letter counts once the DLQ topic has it");
        rig.Settle();
        rig.DeadLetters.Outstanding.Should().Be(0);
        TestMetrics.NonZero(rig.Metrics.DeadLettered).Should().Equal(new Dictionary<string, long> { ["malformed"] = 1, [Reasons.DeliveryFailed] = 1 });
        TestMetrics.Value(rig.Metrics.DeadLetterFile).Should().Be(0);
        File.Exists(rig.DeadLetterPath).Should().BeFalse();

        var onTopic = await rig.Kafka.ReadAsync(ShippedTable.DlqTopic, 2);
        onTopic.Should().HaveCount(2);
        var rejected = JsonDocument.Parse(onTopic[0].Value).RootElement;
        Header(onTopic[0]).Should().Be("malformed");
        rejected.GetProperty("reason").GetString().Should().Be("malformed");
        rejected.GetProperty("detail").GetString().Should().Be("not an RFC 5424 line");
        rejected.GetProperty("host").GetString().Should().Be(ShippedTable.Host);
        Convert.FromBase64String(rejected.GetProperty("line_base64").GetString()!).Should().Equal(RawLine);
        rejected.TryGetProperty("message", out _).Should().BeFalse();
        var undelivered = JsonDocument.Parse(onTopic[1].Value).RootElement;
        Header(onTopic[1]).Should().Be(Reasons.DeliveryFailed);
        undelivered.GetProperty("topic").GetString().Should().Be(ShippedTable.Topic);
        undelivered.GetProperty("message").GetString().Should().Be("""{"sequence":7}""");
        undelivered.TryGetProperty("line_base64", out _).Should().BeFalse();
    }

    [Fact]
    public void Without_a_dlq_topic_dead_letters_go_to_the_file_counted_by_reason()
    {
        using var rig = new SinkRig(dlqTopic: string.Empty);

        rig.DeadLetters.Rejected("malformed", "not an RFC 5424 line", RawLine);
        rig.DeadLetters.Rejected("emptied", "SD and MSG are empty", "<134>1 - - - - - -\n"u8);
        rig.DeadLetters.Rejected("emptied", "SD and MSG are empty", "<134>1 - - - - - -\n"u8);
        rig.DeadLetters.Undelivered(Reasons.ShutdownUndelivered, "Local: Purged in queue", ShippedTable.Topic, """{"sequence":1}"""u8.ToArray());

        rig.DeadLetters.WaitUntilWritten(TimeSpan.FromSeconds(20)).Should().BeTrue();
        rig.DeadLetters.Outstanding.Should().Be(0, "in the file, no report to wait for");
        TestMetrics.NonZero(rig.Metrics.DeadLettered).Should().Equal(new Dictionary<string, long> { ["malformed"] = 1, ["emptied"] = 2, [Reasons.ShutdownUndelivered] = 1 });
        TestMetrics.Value(rig.Metrics.DeadLetterFile).Should().Be(4);
        TestMetrics.Total(rig.Metrics.Dropped).Should().Be(0);
        var letters = rig.FileLetters();
        letters.Select(l => l.Reason).Should().Equal("malformed", "emptied", "emptied", Reasons.ShutdownUndelivered);
        Convert.FromBase64String(letters[0].LineBase64!).Should().Equal(RawLine);
        letters[3].Message.Should().Be("""{"sequence":1}""");
        letters.Should().OnlyContain(l => l.Host == ShippedTable.Host);
    }

    [Fact]
    public void A_dead_letter_the_dlq_topic_refuses_goes_to_the_file_and_is_counted_once()
    {
        using var rig = new SinkRig();
        rig.Kafka.Cluster.RefuseProduceRequests(1);

        rig.DeadLetters.Rejected("truncated", "the datagram ends inside the structured data", RawLine);
        rig.Settle();

        TestMetrics.NonZero(rig.Metrics.DeadLettered).Should().Equal(new Dictionary<string, long> { ["truncated"] = 1 });
        TestMetrics.Value(rig.Metrics.DeadLetterFile).Should().Be(1);
        rig.DeadLetters.Outstanding.Should().Be(0);
        var letter = rig.FileLetters().Should().ContainSingle().Subject;
        letter.Reason.Should().Be("truncated");
        letter.Detail.Should().StartWith("the datagram ends inside the structured data; DLQ delivery failed: ");
        Convert.FromBase64String(letter.LineBase64!).Should().Equal(RawLine);
    }

    [Fact]
    public void A_dead_letter_librdkafka_will_not_take_goes_to_the_file_at_once()
    {
        using var rig = new SinkRig(producerSettings: ("message.max.bytes", "1000"));
        var longLine = Encoding.ASCII.GetBytes(new string('x', 2000));

        rig.DeadLetters.Rejected("malformed", "not an RFC 5424 line", longLine);

        rig.DeadLetters.WaitUntilWritten(TimeSpan.FromSeconds(20)).Should().BeTrue();
        rig.DeadLetters.Outstanding.Should().Be(0);
        TestMetrics.NonZero(rig.Metrics.DeadLettered).Should().Equal(new Dictionary<string, long> { ["malformed"] = 1 });
        var letter = rig.FileLetters().Should().ContainSingle().Subject;
        letter.Detail.Should().StartWith("not an RFC 5424 line; DLQ produce failed: ");
        Convert.FromBase64String(letter.LineBase64!).Should().Equal(longLine);
    }

    [Fact]
    public void After_use_file_only_dead_letters_bypass_the_dlq_topic()
    {
        using var rig = new SinkRig();

        rig.DeadLetters.UseFileOnly();
        rig.DeadLetters.Rejected("malformed", "not an RFC 5424 line", RawLine);

        rig.DeadLetters.WaitUntilWritten(TimeSpan.FromSeconds(20)).Should().BeTrue();
        rig.DeadLetters.Outstanding.Should().Be(0);
        TestMetrics.Value(rig.Metrics.DeadLetterFile).Should().Be(1);
        rig.FileLetters().Should().ContainSingle().Which.Reason.Should().Be("malformed");
    }

    [Fact]
    public void When_the_file_cannot_be_written_either_the_line_is_dropped_with_a_reason()
    {
        // A directory that cannot be created: its parent is a file.
        using var rig = new SinkRig(dlqTopic: string.Empty, deadLetterPath: "/dev/null/dead-letters.jsonl");

        rig.DeadLetters.Rejected("malformed", "not an RFC 5424 line", RawLine);

        rig.DeadLetters.WaitUntilWritten(TimeSpan.FromSeconds(20)).Should().BeTrue();
        rig.DeadLetters.Outstanding.Should().Be(0, "dropped is settled too");
        TestMetrics.Total(rig.Metrics.DeadLettered).Should().Be(0);
        TestMetrics.Value(rig.Metrics.DeadLetterFile).Should().Be(0);
        TestMetrics.NonZero(rig.Metrics.Dropped).Should().Equal(new Dictionary<string, long> { [Reasons.DeadLetterWriteFailed] = 1 });
    }

    private static string Header(ConsumedMessage message) =>
        Encoding.UTF8.GetString(message.Headers.Should().ContainSingle(h => h.Key == "reason").Subject.Value);
}
