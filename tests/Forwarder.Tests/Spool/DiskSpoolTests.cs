using System.Text;
using HaproxyKafka.Forwarder.Spool;
using HaproxyKafka.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace HaproxyKafka.Forwarder.Tests.Spool;

/// <summary>The on-disk spool with real files: order, the cursor across restarts, damage, the byte bound and a full disk.</summary>
public sealed class DiskSpoolTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _scratch = TempDirectory.InMemory();

    private string Dir => _scratch.File("spool");

    [Fact]
    public void Records_replay_in_order_with_topic_time_and_exact_bytes_across_segments_which_are_deleted_once_acknowledged()
    {
        var written = Enumerable.Range(0, 200).Select(Record).ToList();
        written[7] = written[7] with { Value = [0xC3, 0x28, 0xFF, 0x00, 0x0A] }; // not UTF-8: kept byte for byte
        using var spool = DiskSpool.Open(Options(segmentBytes: 2048));

        spool.Append(written[..150]).Should().Be(new SpoolAppend(150, SpoolRefusal.None, null));
        spool.Append(written[150..]).Should().Be(new SpoolAppend(50, SpoolRefusal.None, null));

        spool.Records.Should().Be(200);
        Segments().Should().HaveCountGreaterThan(3, "2 KiB segments");
        spool.Bytes.Should().Be(Segments().Sum(f => new FileInfo(f).Length));
        var read = ReadAll(spool);
        read.Select(e => e.Record).Should().BeEquivalentTo(written, o => o.WithStrictOrdering());
        spool.Acknowledge(read[^1].End, read.Count);

        spool.Records.Should().Be(0);
        spool.Replayed.Should().Be(200);
        spool.Bytes.Should().Be(0);
        Segments().Should().ContainSingle().Which.Should().Match(f => new FileInfo(f).Length == 0, "acknowledged segments are deleted");
    }

    [Fact]
    public void A_torn_tail_is_cut_off_at_open_and_counted_and_the_records_before_it_replay()
    {
        using (var spool = DiskSpool.Open(Options()))
        {
            spool.Append(Enumerable.Range(0, 10).Select(Record).ToList()).Appended.Should().Be(10);
        }

        var segment = Segments().Single();
        var intact = new FileInfo(segment).Length;
        var torn = Encode(Record(10));
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write(torn, 0, torn.Length - 5); // the crash cut the write short
        }

        using var reopened = DiskSpool.Open(Options());

        reopened.TornTails.Should().Be(1);
        new FileInfo(segment).Length.Should().Be(intact, "the half record is cut off");
        reopened.Records.Should().Be(10);
        reopened.Append([Record(11)]).Appended.Should().Be(1);
        Sequences(ReadAll(reopened)).Should().Equal([.. Enumerable.Range(0, 10), 11], "appends continue on a clean record boundary");
        reopened.CorruptSkipped.Should().Be(0);
    }

    [Fact]
    public void A_flipped_bit_in_the_middle_skips_that_record_counted_and_replays_the_rest()
    {
        using (var spool = DiskSpool.Open(Options()))
        {
            spool.Append(Enumerable.Range(0, 5).Select(Record).ToList());
        }

        var segment = Segments().Single();
        var bytes = File.ReadAllBytes(segment);
        var recordSize = Encode(Record(0)).Length;
        bytes[(2 * recordSize) + recordSize - 3] ^= 0x10; // inside record 2's value
        File.WriteAllBytes(segment, bytes);

        using var reopened = DiskSpool.Open(Options());
        var read = ReadAll(reopened);

        Sequences(read).Should().Equal(0, 1, 3, 4);
        reopened.CorruptSkipped.Should().Be(1);
        reopened.TornTails.Should().Be(0, "damage in the middle is not a torn tail");
    }

    [Fact]
    public void A_restart_mid_replay_resumes_at_the_acknowledged_cursor()
    {
        using (var spool = DiskSpool.Open(Options(segmentBytes: 4096)))
        {
            spool.Append(Enumerable.Range(0, 100).Select(Record).ToList());
            var first = spool.Read(30);
            spool.Acknowledge(first[^1].End, first.Count);
            spool.Read(20).Should().HaveCount(20, "read but not acknowledged: delivery did not finish before the crash");
        }

        using var reopened = DiskSpool.Open(Options(segmentBytes: 4096));

        reopened.Records.Should().Be(70);
        Sequences(ReadAll(reopened)).Should().Equal(Enumerable.Range(30, 70));
    }

    [Fact]
    public void A_damaged_cursor_replays_from_the_oldest_segment_rather_than_losing_records()
    {
        using (var spool = DiskSpool.Open(Options()))
        {
            spool.Append(Enumerable.Range(0, 10).Select(Record).ToList());
            var first = spool.Read(4);
            spool.Acknowledge(first[^1].End, first.Count);
        }

        File.WriteAllText(Path.Combine(Dir, SpoolCursor.FileName), "garbage");
        using var reopened = DiskSpool.Open(Options());

        Sequences(ReadAll(reopened)).Should().Equal(Enumerable.Range(0, 10));
    }

    [Fact]
    public void A_failed_delivery_rewinds_to_the_cursor()
    {
        using var spool = DiskSpool.Open(Options());
        spool.Append(Enumerable.Range(0, 10).Select(Record).ToList());

        Sequences(spool.Read(4)).Should().Equal(0, 1, 2, 3);
        spool.Rewind();

        Sequences(spool.Read(4)).Should().Equal(0, 1, 2, 3);
    }

    [Fact]
    public void Appends_past_max_bytes_are_refused_as_full_and_acknowledging_makes_room()
    {
        var size = Encode(Record(0)).Length;
        using var spool = DiskSpool.Open(Options(maxBytes: (10 * size) + 3, segmentBytes: 4 * size));

        var result = spool.Append(Enumerable.Range(0, 15).Select(Record).ToList());

        result.Should().Be(new SpoolAppend(10, SpoolRefusal.Full, null));
        spool.Bytes.Should().Be(10 * size);
        spool.Append([Record(15)]).Refusal.Should().Be(SpoolRefusal.Full);
        var read = spool.Read(4);
        spool.Acknowledge(read[^1].End, read.Count);
        spool.Bytes.Should().Be(6 * size, "the first segment (4 records) is deleted");
        spool.Append([Record(15), Record(16)]).Appended.Should().Be(2);
        Sequences(ReadAll(spool)).Should().Equal(4, 5, 6, 7, 8, 9, 15, 16);
    }

    [Fact]
    public async Task On_a_full_disk_appends_are_refused_with_the_error_and_what_was_taken_survives_a_reopen()
    {
        using var disk = await SmallTmpfs.MountAsync(kibibytes: 64);
        var options = new SpoolOptions(Path.Combine(disk.Path, "spool"), MaxBytes: 10 << 20, TimeSpan.Zero, SegmentBytes: 1 << 20);
        var taken = new List<SpoolRecord>();
        var refusals = new List<SpoolAppend>();
        using (var spool = DiskSpool.Open(options))
        {
            for (var batch = 0; batch < 40; batch++)
            {
                var records = Enumerable.Range(batch * 10, 10).Select(i => PaddedRecord(i, valueBytes: 400)).ToList();
                var result = spool.Append(records);
                taken.AddRange(records.Take(result.Appended));
                if (result.Refusal != SpoolRefusal.None)
                {
                    refusals.Add(result);
                }
            }

            refusals.Should().NotBeEmpty("160 KiB do not fit in 64 KiB").And.OnlyContain(r => r.Refusal == SpoolRefusal.DiskError && r.Error != null);
            refusals[0].Error.Should().Contain("space", "ENOSPC from the kernel");
            spool.Records.Should().Be(taken.Count);
        }

        using var reopened = DiskSpool.Open(options);
        reopened.TornTails.Should().Be(0, "a refused write is cut back, not left half written");
        ReadAll(reopened).Select(e => e.Record).Should().BeEquivalentTo(taken, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task A_writer_and_a_replayer_at_once_see_every_record_exactly_once_in_order()
    {
        using var spool = DiskSpool.Open(Options(segmentBytes: 8192));
        const int total = 5000;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < total; i += 50)
            {
                spool.Append(Enumerable.Range(i, 50).Select(Record).ToList()).Appended.Should().Be(50);
            }
        });
        var seen = new List<int>();
        while (seen.Count < total)
        {
            var entries = spool.Read(97);
            if (entries.Count == 0)
            {
                writer.IsFaulted.Should().BeFalse();
                await Task.Yield();
                continue;
            }

            seen.AddRange(Sequences(entries));
            spool.Acknowledge(entries[^1].End, entries.Count);
        }

        await writer;
        seen.Should().Equal(Enumerable.Range(0, total));
        spool.Records.Should().Be(0);
        spool.CorruptSkipped.Should().Be(0);
        Segments().Should().ContainSingle("every segment behind the cursor is gone");
    }

    [Fact]
    public void Oldest_age_and_counts_are_what_the_gauges_export()
    {
        var clock = new FakeTimeProvider(T0.AddSeconds(10));
        using var spool = DiskSpool.Open(Options(), clock);
        spool.OldestAge.Should().Be(TimeSpan.Zero);

        spool.Append([Record(0) with { ReceivedAt = T0 }, Record(1) with { ReceivedAt = T0.AddSeconds(4) }]);

        spool.OldestAge.Should().Be(TimeSpan.FromSeconds(10));
        var first = spool.Read(1);
        spool.Acknowledge(first[0].End, 1);
        spool.OldestAge.Should().Be(TimeSpan.FromSeconds(6));
        spool.Records.Should().Be(1);
        spool.Appended.Should().Be(2);
        spool.Replayed.Should().Be(1);
    }

    [Fact]
    public void Fsync_batch_syncs_every_append_and_an_interval_syncs_on_the_clock()
    {
        using (var perBatch = DiskSpool.Open(Options()))
        {
            for (var i = 0; i < 5; i++)
            {
                perBatch.Append([Record(i), Record(i + 100)]);
            }

            perBatch.Syncs.Should().Be(5, "spool.fsync: batch");
        }

        var clock = new FakeTimeProvider(T0);
        using var timed = DiskSpool.Open(Options(fsync: TimeSpan.FromMilliseconds(200), directory: _scratch.File("timed")), clock);
        for (var i = 0; i < 5; i++)
        {
            timed.Append([Record(i)]);
        }

        timed.Syncs.Should().Be(0, "nothing synced before the interval");
        clock.Advance(TimeSpan.FromMilliseconds(200));
        timed.Syncs.Should().Be(1, "one sync covers all five appends");
        clock.Advance(TimeSpan.FromMilliseconds(200));
        timed.Syncs.Should().Be(1, "nothing new to sync");
    }

    public void Dispose() => _scratch.Dispose();

    internal static SpoolRecord Record(int sequence) => PaddedRecord(sequence, valueBytes: 0);

    internal static SpoolRecord PaddedRecord(int sequence, int valueBytes) =>
        new("webrequest_frontend_text", T0.AddMilliseconds(sequence), Encoding.UTF8.GetBytes($$"""{"sequence":{{sequence:D6}},"pad":"{{new string('x', valueBytes)}}"}"""));

    internal static IEnumerable<int> Sequences(IEnumerable<SpoolEntry> entries) =>
        entries.Select(e => int.Parse(Encoding.UTF8.GetString(e.Record.Value).AsSpan(12, 6), System.Globalization.CultureInfo.InvariantCulture));

    private static byte[] Encode(SpoolRecord record)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        SpoolRecordCodec.Write(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    private static List<SpoolEntry> ReadAll(DiskSpool spool)
    {
        var all = new List<SpoolEntry>();
        for (var batch = spool.Read(64); batch.Count > 0; batch = spool.Read(64))
        {
            all.AddRange(batch);
        }

        return all;
    }

    private SpoolOptions Options(long maxBytes = 1 << 30, long segmentBytes = 1 << 20, TimeSpan fsync = default, string? directory = null) =>
        new(directory ?? Dir, maxBytes, fsync, segmentBytes);

    private string[] Segments() => [.. Directory.GetFiles(Dir, "*.seg").Order()];
}
