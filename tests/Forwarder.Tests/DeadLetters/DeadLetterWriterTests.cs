using System.Text;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Tests.Spool;
using HaproxyKafka.Harness;
using Microsoft.Extensions.Logging.Abstractions;

namespace HaproxyKafka.Forwarder.Tests.DeadLetters;

/// <summary>
/// The dead-letter queue and its one writer: callers return at once, the writer batches (one <c>fsync</c> per batch),
/// a full queue drops with a reason instead of blocking, shutdown writes everything, and DLQ messages share the
/// main topic's in-flight budget. Counts, not clocks: the writer starts after the queue is filled where batching matters.
/// </summary>
public class DeadLetterWriterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void A_rejection_storm_is_written_in_batches_with_one_fsync_each()
    {
        using var rig = new SinkRig(dlqTopic: string.Empty);
        using var sink = HeldSink(rig, new DeadLetterQueueLimits(MaxLines: 10_000, MaxBytes: 64 << 20, MaxBatch: 100), dlqTopic: string.Empty);

        for (var i = 0; i < 1000; i++)
        {
            sink.Rejected("fingerprint_mismatch", "another schema", Encoding.ASCII.GetBytes($"line {i}\n"));
        }

        sink.Outstanding.Should().Be(1000, "queued, not yet written");
        sink.Queued.Should().Be(1000);
        TestMetrics.Total(rig.Metrics.DeadLettered).Should().Be(0);
        sink.StartWriter();
        sink.WaitUntilWritten(Patience).Should().BeTrue();

        sink.FileSyncs.Should().Be(10, "1000 letters in batches of 100, one fsync each (it was one per line)");
        sink.Batches.Should().Be(10);
        sink.Outstanding.Should().Be(0);
        sink.Queued.Should().Be(0);
        sink.QueuedBytes.Should().Be(0);
        TestMetrics.Value(rig.Metrics.DeadLettered, "fingerprint_mismatch").Should().Be(1000);
        TestMetrics.Value(rig.Metrics.DeadLetterFile).Should().Be(1000);
        var lines = rig.FileLetters().Select(l => l.Line).ToList();
        lines.Should().Equal(Enumerable.Range(0, 1000).Select(i => $"line {i}"), "written in the order they came");
    }

    [Fact]
    public void A_full_queue_drops_the_dead_letter_with_a_reason_instead_of_blocking_the_caller()
    {
        using var rig = new SinkRig(dlqTopic: string.Empty);
        using var sink = HeldSink(rig, new DeadLetterQueueLimits(MaxLines: 10, MaxBytes: 64 << 20, MaxBatch: 100), dlqTopic: string.Empty);

        for (var i = 0; i < 15; i++)
        {
            sink.Rejected("malformed", "not an RFC 5424 line", Encoding.ASCII.GetBytes($"line {i}"));
        }

        TestMetrics.NonZero(rig.Metrics.Dropped).Should().Equal(new Dictionary<string, long> { [Reasons.DeadLetterBacklog] = 5 });
        sink.Outstanding.Should().Be(10, "the dropped ones are settled (as dropped), the queued ones are not yet");
        sink.StartWriter();
        sink.WaitUntilWritten(Patience).Should().BeTrue();

        rig.FileLetters().Select(l => l.Line).Should().Equal(Enumerable.Range(0, 10).Select(i => $"line {i}"));
        TestMetrics.Value(rig.Metrics.DeadLettered, "malformed").Should().Be(10);
        (TestMetrics.Total(rig.Metrics.DeadLettered) + TestMetrics.Total(rig.Metrics.Dropped)).Should().Be(15, "every line is in one column");
    }

    [Fact]
    public void The_queue_is_bounded_by_bytes_too_but_always_takes_one_letter()
    {
        using var rig = new SinkRig(dlqTopic: string.Empty);
        using var sink = HeldSink(rig, new DeadLetterQueueLimits(MaxLines: 1000, MaxBytes: 1000, MaxBatch: 100), dlqTopic: string.Empty);

        sink.Rejected("malformed", "longer than the whole queue", new byte[5000]);
        sink.Rejected("malformed", "no room behind it", new byte[10]);

        sink.Queued.Should().Be(1);
        sink.QueuedBytes.Should().Be(5000);
        TestMetrics.Value(rig.Metrics.Dropped, Reasons.DeadLetterBacklog).Should().Be(1);
        sink.StartWriter();
        sink.WaitUntilWritten(Patience).Should().BeTrue();

        for (var i = 0; i < 5; i++)
        {
            sink.Rejected("malformed", "300 bytes", new byte[300]);
        }

        sink.WaitUntilWritten(Patience).Should().BeTrue();
        (TestMetrics.Value(rig.Metrics.DeadLettered, "malformed") + TestMetrics.Value(rig.Metrics.Dropped, Reasons.DeadLetterBacklog)).Should().Be(7);
        rig.FileLetters().Should().HaveCount((int)TestMetrics.Value(rig.Metrics.DeadLettered, "malformed"));
    }

    [Fact]
    public void Complete_writes_everything_still_queued_to_the_file_before_it_returns()
    {
        using var rig = new SinkRig();
        using var sink = HeldSink(rig, DeadLetterQueueLimits.Default, dlqTopic: ShippedTable.DlqTopic);
        for (var i = 0; i < 50; i++)
        {
            sink.Rejected("truncated", "the datagram ends inside the structured data", Encoding.ASCII.GetBytes($"line {i}"));
        }

        sink.Undelivered(Reasons.ShutdownUndelivered, "Local: Purged in queue", ShippedTable.Topic, """{"sequence":1}"""u8.ToArray());

        sink.Complete();

        sink.Outstanding.Should().Be(0);
        sink.InKafka.Should().Be(0, "at shutdown the queue goes to the file, not to a producer about to close");
        var letters = rig.FileLetters();
        letters.Should().HaveCount(51);
        letters.Take(50).Select(l => l.Line).Should().Equal(Enumerable.Range(0, 50).Select(i => $"line {i}"));
        letters[50].Message.Should().Be("""{"sequence":1}""");
        TestMetrics.NonZero(rig.Metrics.DeadLettered).Should().Equal(new Dictionary<string, long> { ["truncated"] = 50, [Reasons.ShutdownUndelivered] = 1 });

        sink.Rejected("malformed", "after shutdown", "late"u8);
        sink.Outstanding.Should().Be(0, "a late dead letter is written by its caller");
        rig.FileLetters().Should().HaveCount(52);
    }

    [Fact]
    public async Task Dlq_messages_count_against_the_shared_in_flight_budget_and_reach_the_topic()
    {
        using var rig = new SinkRig();
        rig.DeadLetters.ShareBudget(rig.Sink.Budget);

        for (var i = 0; i < 200; i++)
        {
            rig.DeadLetters.Rejected("fingerprint_mismatch", "another schema", Encoding.ASCII.GetBytes($"line {i}"));
        }

        rig.DeadLetters.WaitUntilWritten(Patience).Should().BeTrue();
        rig.Sink.Outstanding.Should().Be(200, "the DLQ messages are in librdkafka, counted in the main sink's budget");
        rig.DeadLetters.InKafka.Should().Be(200);
        rig.DeadLetters.Outstanding.Should().Be(0, "not counted twice");
        rig.Ledger.Should().Be(new Ledger(Received: 0, Delivered: 0, DeadLettered: 0, Dropped: 0, InFlight: 200));
        rig.Settle();
        rig.Sink.Outstanding.Should().Be(0);
        TestMetrics.Value(rig.Metrics.DeadLettered, "fingerprint_mismatch").Should().Be(200);

        var onTopic = await rig.Kafka.ReadAsync(ShippedTable.DlqTopic, 200);
        onTopic.Select(m => System.Text.Json.JsonDocument.Parse(m.Value).RootElement.GetProperty("line").GetString())
            .Should().Equal(Enumerable.Range(0, 200).Select(i => $"line {i}"), "read back with kcat, in order");
        rig.FileLetters().Should().BeEmpty();
    }

    [Fact]
    public void With_the_budget_full_the_writer_waits_bounded_then_writes_to_the_file()
    {
        using var rig = new SinkRig();
        var budget = new WaterMarks(queueLimit: 10);
        rig.DeadLetters.ShareBudget(budget);
        for (var i = 0; i < budget.High; i++)
        {
            budget.Added(); // main-topic messages Kafka is slow to take
        }

        rig.DeadLetters.Rejected("malformed", "not an RFC 5424 line", "x"u8);
        rig.DeadLetters.WaitUntilWritten(Patience).Should().BeTrue();

        rig.DeadLetters.InKafka.Should().Be(0, "the budget had no room");
        budget.Outstanding.Should().Be(budget.High, "nothing was added to a full budget");
        var letter = rig.FileLetters().Should().ContainSingle().Subject;
        letter.Detail.Should().StartWith("not an RFC 5424 line; DLQ skipped: the in-flight budget stayed full");
        TestMetrics.Value(rig.Metrics.Saturation, Reasons.KafkaQueueChannel).Should().BePositive();
    }

    [Fact]
    public async Task On_a_full_disk_the_batch_is_counted_as_dropped_and_the_file_keeps_only_whole_records()
    {
        using var disk = await SmallTmpfs.MountAsync(kibibytes: 64);
        using var rig = new SinkRig(dlqTopic: string.Empty, deadLetterPath: disk.File("dead-letters.jsonl"));
        using var sink = HeldSink(rig, new DeadLetterQueueLimits(MaxLines: 10_000, MaxBytes: 64 << 20, MaxBatch: 10), dlqTopic: string.Empty);
        var line = Encoding.ASCII.GetBytes(new string('x', 1000));

        for (var i = 0; i < 100; i++)
        {
            sink.Rejected("malformed", "not an RFC 5424 line", line);
        }

        sink.StartWriter();
        sink.WaitUntilWritten(Patience).Should().BeTrue();

        var written = TestMetrics.Value(rig.Metrics.DeadLettered, "malformed");
        var dropped = TestMetrics.Value(rig.Metrics.Dropped, Reasons.DeadLetterWriteFailed);
        written.Should().BePositive("the first batches fit");
        dropped.Should().BePositive("100 letters of ~2.5 KiB do not fit in 64 KiB");
        (written + dropped).Should().Be(100, "none is lost silently");
        written.Should().Be(written / 10 * 10, "a batch is written whole or not at all");
        rig.FileLetters().Should().HaveCount((int)written, "no half record from the batch the disk refused");

        // A single letter fits in what the refused batch left free: the sink keeps writing after ENOSPC.
        sink.Rejected("malformed", "after the disk filled", line);
        sink.WaitUntilWritten(Patience).Should().BeTrue();
        TestMetrics.Value(rig.Metrics.DeadLettered, "malformed").Should().Be(written + 1);
        rig.FileLetters().Should().HaveCount((int)written + 1).And.Subject.Last().Detail.Should().Be("after the disk filled");
    }

    private static DeadLetterSink HeldSink(SinkRig rig, DeadLetterQueueLimits limits, string dlqTopic) =>
        new(rig.Producer, dlqTopic, rig.DeadLetterFile, rig.Metrics, ShippedTable.Host, NullLogger.Instance, limits, startWriter: false);
}
