using HaproxyKafka.Forwarder.Tests.Spool;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;
using Xunit.Abstractions;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>
/// The dead-letter file's disk fills up (a real tmpfs, ENOSPC from the kernel): the daemon counts what it cannot
/// write, keeps forwarding, and writes again once there is room.
/// </summary>
public sealed class DeadLetterDiskFullTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_full_disk_drops_dead_letters_counted_while_valid_lines_flow_and_writing_resumes_when_space_returns()
    {
        using var disk = await SmallTmpfs.MountAsync(256);

        // Leaves about 40 KiB: room for some dead letters (about 2.5 KB each), not for the flood.
        var filler = disk.File("filler");
        await File.WriteAllBytesAsync(filler, new byte[216 * 1024]);
        var path = disk.File("dead-letters.jsonl");
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, editConfig: FaultConfig.DeadLetterPath(path).Then(FaultConfig.WithoutDlqTopic));
        using var sender = new DatagramSender(run.SocketPath);
        var sequence = 0;
        void Send(int valid, int rejected)
        {
            for (var i = 0; i < Math.Max(valid, rejected); i++)
            {
                if (i < valid)
                {
                    sender.Send(Lines.Request(run.Fingerprint, sequence++));
                }

                if (i < rejected)
                {
                    sender.Send(Lines.Request(SteadyLoad.ForeignFingerprint, sequence++));
                }
            }
        }

        Send(valid: 0, rejected: 5);
        (await Until.TrueAsync(async () => await run.CountersAsync() is { DeadLettered: 5, InFlight: 0 }, TimeSpan.FromSeconds(60))).Should().BeTrue("dead letters are written while there is room");

        Send(valid: 300, rejected: 300);
        (await Until.TrueAsync(async () => await run.CountersAsync() is { Received: 605, InFlight: 0 }, TimeSpan.FromSeconds(60))).Should().BeTrue(run.Forwarder.Log);
        var full = await run.CountersAsync();
        var metrics = await run.Forwarder.GetAsync("metrics");
        var written = Found.DeadLetters(path);
        output.WriteLine($"disk full: {full}; {written.Letters.Count} letters in the file ({new FileInfo(path).Length} bytes)");

        run.Forwarder.HasExited.Should().BeFalse();
        full.Delivered.Should().Be(300, "valid lines are forwarded while dead letters cannot be written");
        full.Dropped.Should().BePositive("the disk could not take every dead letter");
        (full.DeadLettered + full.Dropped).Should().Be(305, "every rejected line is written or counted as dropped");
        metrics.Should().Contain($"haproxykafka_dropped_lines_total{{reason=\"dead_letter_write_failed\"}} {full.Dropped}\n");
        written.TornTail.Should().BeNull("a write the disk refused is cut back off the file");
        written.Letters.Should().HaveCount((int)full.DeadLettered, "what is counted dead-lettered is in the file, whole");

        File.Delete(filler);
        Send(valid: 50, rejected: 50);
        (await Until.TrueAsync(async () => await run.CountersAsync() is { Received: 705, InFlight: 0 }, TimeSpan.FromSeconds(60))).Should().BeTrue(run.Forwarder.Log);
        var after = await run.CountersAsync();
        output.WriteLine($"space back: {after}");
        after.Should().Be(full with { Received = 705, Delivered = 350, DeadLettered = full.DeadLettered + 50 }, "with room again every dead letter is written");
        var resumed = Found.DeadLetters(path);
        resumed.TornTail.Should().BeNull();
        resumed.Letters.Should().HaveCount((int)after.DeadLettered);
        (await Found.OnTopicAsync(run.Cluster.BootstrapServers, run.Topic)).Should().HaveCount(350).And.OnlyHaveUniqueItems();
    }
}
