using HaproxyKafka.Forwarder.Spool;
using HaproxyKafka.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace HaproxyKafka.Forwarder.Tests.Spool;

/// <summary>The replay seam: batches through a delivery delegate, acknowledged on success, replayed again on failure.</summary>
public sealed class SpoolReplayerTests : IDisposable
{
    private readonly TempDirectory _scratch = TempDirectory.InMemory();

    [Fact]
    public async Task A_batch_that_fails_is_delivered_again_and_only_success_moves_the_persisted_cursor()
    {
        var options = new SpoolOptions(_scratch.File("spool"), 1 << 30, TimeSpan.Zero, 1 << 20);
        var delivered = new List<int>();
        var attempts = 0;
        using (var spool = DiskSpool.Open(options))
        {
            spool.Append(Enumerable.Range(0, 10).Select(DiskSpoolTests.Record).ToList());
            using var replayer = new SpoolReplayer(
                spool,
                (batch, _) =>
                {
                    if (++attempts == 2)
                    {
                        return Task.FromResult(false); // the broker went away mid-replay
                    }

                    delivered.AddRange(DiskSpoolTests.Sequences(batch.Select(r => new SpoolEntry(r, default))));
                    return Task.FromResult(true);
                },
                () => true,
                SpoolReplayOptions.Default with { BatchRecords = 4 },
                NullLogger.Instance);

            (await replayer.ReplayBatchAsync(CancellationToken.None)).Should().BeTrue();
            (await replayer.ReplayBatchAsync(CancellationToken.None)).Should().BeFalse();
            replayer.FailedBatches.Should().Be(1);
            spool.Records.Should().Be(6);
        }

        using (var reopened = DiskSpool.Open(options))
        {
            using var replayer = new SpoolReplayer(
                reopened,
                (batch, _) =>
                {
                    delivered.AddRange(DiskSpoolTests.Sequences(batch.Select(r => new SpoolEntry(r, default))));
                    return Task.FromResult(true);
                },
                () => true,
                SpoolReplayOptions.Default with { BatchRecords = 4 },
                NullLogger.Instance);
            while (await replayer.ReplayBatchAsync(CancellationToken.None))
            {
            }

            reopened.Records.Should().Be(0);
        }

        delivered.Should().Equal(Enumerable.Range(0, 10), "the failed batch came again, from the persisted cursor, after a restart");
    }

    [Fact]
    public async Task The_running_replayer_waits_while_fresh_lines_need_the_room_then_drains_the_spool()
    {
        using var spool = DiskSpool.Open(new SpoolOptions(_scratch.File("spool"), 1 << 30, TimeSpan.Zero, 1 << 20));
        spool.Append(Enumerable.Range(0, 50).Select(DiskSpoolTests.Record).ToList());
        var room = false;
        var delivered = new List<int>();
        var drained = new TaskCompletionSource();
        using var replayer = new SpoolReplayer(
            spool,
            (batch, _) =>
            {
                room.Should().BeTrue("no batch while the sink has no room");
                lock (delivered)
                {
                    delivered.AddRange(DiskSpoolTests.Sequences(batch.Select(r => new SpoolEntry(r, default))));
                    if (delivered.Count == 50)
                    {
                        drained.SetResult();
                    }
                }

                return Task.FromResult(true);
            },
            () => Volatile.Read(ref room),
            new SpoolReplayOptions(BatchRecords: 10, MaxRecordsPerSecond: 100_000, IdlePoll: TimeSpan.FromMilliseconds(5), RetryPause: TimeSpan.FromMilliseconds(5)),
            NullLogger.Instance);

        replayer.Start();
        await Task.Delay(50);
        spool.Replayed.Should().Be(0);
        Volatile.Write(ref room, true);
        await drained.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await replayer.StopAsync();

        delivered.Should().Equal(Enumerable.Range(0, 50));
        spool.Records.Should().Be(0);
    }

    public void Dispose() => _scratch.Dispose();
}
