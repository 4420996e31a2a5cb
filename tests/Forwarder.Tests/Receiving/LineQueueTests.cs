using System.Diagnostics;
using System.Text;
using HaproxyKafka.Forwarder.Receiving;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>
/// The hand-off the receive thread uses: a byte ring bounded by <c>socket.queue_bytes</c>. It must refuse, never
/// wait, when a line does not fit, hand every line back exactly and in order (also across the ring's end), and
/// give bytes back only once every earlier run is done.
/// </summary>
public class LineQueueTests
{
    private const int Ring = 64 * 1024;

    [Fact]
    public void A_full_ring_refuses_the_next_line_at_once_instead_of_blocking()
    {
        using var queue = new LineQueue(Ring);

        queue.TryAppend(Line('a', 30_000), 1).Should().BeTrue();
        queue.TryAppend(Line('b', 30_000), 1).Should().BeTrue();
        var refused = queue.TryAppend(Line('c', 30_000), 1);
        queue.Publish();

        refused.Should().BeFalse("two 30 KB lines and their headers fill most of a 64 KiB ring; the thread must count the third, not wait");
        queue.Depth.Should().Be(2);
        queue.Pending.Should().Be(2);
        queue.BytesInUse.Should().Be(2 * (LineQueue.HeaderBytes + 30_000));
        Drain(queue).Select(l => (char)l[0]).Should().Equal('a', 'b');
    }

    [Fact]
    public void Returned_bytes_are_reused_and_a_line_larger_than_the_ring_is_refused()
    {
        using var queue = new LineQueue(Ring);
        queue.TryAppend(Line('a', 40_000), 1).Should().BeTrue();
        queue.TryAppend(Line('b', 40_000), 1).Should().BeFalse("the ring holds one such line");
        queue.Publish();

        var run = queue.TryTake()!;
        run.TryRead(out var line, out _).Should().BeTrue();
        line.Length.Should().Be(40_000);
        queue.Handled();
        queue.Return(run);

        queue.BytesInUse.Should().Be(0);
        queue.TryAppend(Line('b', 40_000), 1).Should().BeTrue("the returned bytes are free again");
        queue.TryAppend(new byte[Ring], 1).Should().BeFalse("no ring of 64 KiB holds a 64 KiB line and its header");
        queue.Publish();
        Drain(queue).Select(l => (char)l[0]).Should().Equal('b');
    }

    [Fact]
    public void Lines_come_out_exactly_and_in_order_across_many_turns_of_the_ring()
    {
        using var queue = new LineQueue(Ring);
        var random = new Random(7);
        var sent = new List<byte[]>();
        var got = new List<byte[]>();
        var stamps = new List<long>();
        for (var round = 0; round < 200; round++)
        {
            var lines = Enumerable.Range(0, random.Next(1, 20)).Select(_ => RandomLine(random)).ToList();
            foreach (var line in lines)
            {
                if (queue.TryAppend(line, round))
                {
                    sent.Add(line);
                }
            }

            queue.Publish();

            // Take and return every other round, so the ring both fills up and wraps with lines in it.
            if (round % 2 == 1)
            {
                while (queue.Depth > 0)
                {
                    var run = queue.TryTake()!;
                    while (run.TryRead(out var line, out var receivedAt))
                    {
                        got.Add(line.ToArray());
                        stamps.Add(receivedAt);
                        queue.Handled();
                    }

                    queue.Return(run);
                }
            }
        }

        got.AddRange(Drain(queue));
        sent.Count.Should().BeGreaterThan(500, "enough lines to turn the ring many times");
        got.Should().HaveCount(sent.Count);
        got.Zip(sent).Count(p => !p.First.AsSpan().SequenceEqual(p.Second)).Should().Be(0, "every line comes out byte for byte");
        stamps.Should().BeInAscendingOrder("each line keeps the receive time it was appended with");
        queue.Pending.Should().Be(0);
        queue.BytesInUse.Should().Be(0);
    }

    [Fact]
    public void Pending_counts_lines_queued_and_lines_a_worker_still_holds()
    {
        using var queue = new LineQueue(Ring);
        queue.TryAppend("a"u8, 1).Should().BeTrue();
        queue.TryAppend("b"u8, 1).Should().BeTrue();
        queue.Pending.Should().Be(0, "nothing is published yet");
        queue.Publish();

        var run = queue.TryTake()!;
        run.Count.Should().Be(2);
        queue.Depth.Should().Be(0);
        queue.Pending.Should().Be(2, "the lines a worker holds are still in flight");
        run.TryRead(out var first, out _).Should().BeTrue();
        Encoding.ASCII.GetString(first).Should().Be("a");
        queue.Handled();
        queue.Pending.Should().Be(1);
        run.TryRead(out _, out _).Should().BeTrue();
        queue.Handled();
        run.TryRead(out _, out _).Should().BeFalse();
        queue.Return(run);
        queue.Pending.Should().Be(0);
    }

    [Fact]
    public void Bytes_of_a_run_returned_early_come_back_only_with_the_runs_before_it()
    {
        using var queue = new LineQueue(Ring);
        queue.TryAppend(Line('a', 1000), 1).Should().BeTrue();
        queue.Publish();
        var first = queue.TryTake()!;
        queue.TryAppend(Line('b', 1000), 2).Should().BeTrue();
        queue.Publish();
        var second = queue.TryTake()!;
        var inUse = queue.BytesInUse;

        second.TryRead(out _, out _).Should().BeTrue();
        queue.Handled();
        queue.Return(second);
        queue.BytesInUse.Should().Be(inUse, "the first run still reads its bytes, which come before the second's");

        first.TryRead(out _, out _).Should().BeTrue();
        queue.Handled();
        queue.Return(first);
        queue.BytesInUse.Should().Be(0);
    }

    [Fact]
    public void A_sleeping_worker_wakes_for_a_published_batch_and_ends_after_complete()
    {
        using var queue = new LineQueue(Ring);
        var taken = new List<string>();
        var worker = new Thread(() =>
        {
            while (queue.TryTake() is { } run)
            {
                while (run.TryRead(out var line, out _))
                {
                    lock (taken)
                    {
                        taken.Add(Encoding.ASCII.GetString(line));
                    }

                    queue.Handled();
                }

                queue.Return(run);
            }
        });
        worker.Start();

        queue.TryAppend("x"u8, 1).Should().BeTrue();
        queue.TryAppend("y"u8, 1).Should().BeTrue();
        queue.Publish();
        SpinWait.SpinUntil(() => queue.Pending == 0, TimeSpan.FromSeconds(30)).Should().BeTrue("the sleeping worker was woken");
        queue.TryAppend("z"u8, 2).Should().BeTrue();
        queue.Publish();
        queue.Complete();

        worker.Join(TimeSpan.FromSeconds(30)).Should().BeTrue("after complete the worker drains and stops");
        taken.Should().Equal("x", "y", "z");
        queue.Pending.Should().Be(0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Workers_miss_no_wake_up_over_thousands_of_small_publishes(int workerCount)
    {
        // Each batch is published only once every earlier line is handled, so the workers are (nearly) always asleep
        // or going to sleep when it arrives: a lost wake-up leaves a line pending for good and fails the wait below.
        const int Batches = 5000;
        using var queue = new LineQueue(Ring);
        long handled = 0;
        var workers = Enumerable.Range(0, workerCount).Select(n => new Thread(() =>
        {
            while (queue.TryTake() is { } run)
            {
                while (run.TryRead(out _, out _))
                {
                    Interlocked.Increment(ref handled);
                    queue.Handled();
                }

                queue.Return(run);
            }
        })).ToList();
        workers.ForEach(w => w.Start());

        for (var batch = 0; batch < Batches; batch++)
        {
            for (var line = 0; line <= batch % 3; line++)
            {
                queue.TryAppend("line"u8, batch).Should().BeTrue();
            }

            queue.Publish();
            SpinWait.SpinUntil(() => queue.Pending == 0, TimeSpan.FromSeconds(30))
                .Should().BeTrue($"batch {batch} was taken: a sleeping worker was woken for it");
        }

        queue.Complete();
        workers.ForEach(w => w.Join(TimeSpan.FromSeconds(30)).Should().BeTrue("complete wakes every sleeping worker"));
        Interlocked.Read(ref handled).Should().Be(Enumerable.Range(0, Batches).Sum(b => (b % 3) + 1));
    }

    [Fact]
    public void After_complete_what_is_queued_is_still_taken_in_order_and_then_take_returns_null()
    {
        using var queue = new LineQueue(Ring);
        foreach (var b in "xyz"u8.ToArray())
        {
            queue.TryAppend([b], Stopwatch.GetTimestamp()).Should().BeTrue();
        }

        queue.Publish();
        queue.Complete();

        Drain(queue).Select(l => (char)l[0]).Should().Equal('x', 'y', 'z');
        queue.TryTake().Should().BeNull();
    }

    private static byte[] Line(char fill, int length) => Enumerable.Repeat((byte)fill, length).ToArray();

    private static byte[] RandomLine(Random random)
    {
        var line = new byte[random.Next(0, 6000)];
        random.NextBytes(line);
        return line;
    }

    private static List<byte[]> Drain(LineQueue queue)
    {
        var lines = new List<byte[]>();
        while (queue.Depth > 0)
        {
            var run = queue.TryTake()!;
            while (run.TryRead(out var line, out _))
            {
                lines.Add(line.ToArray());
                queue.Handled();
            }

            queue.Return(run);
        }

        return lines;
    }
}
