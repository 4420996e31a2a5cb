using System.Text;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Receiving;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>The receive thread on a real socket in this process: a line the full ring refuses is counted at once, never waited for.</summary>
public sealed class ReceiverTests : IDisposable
{
    // Two of these lines fill a 64 KiB ring.
    private const int LongLine = 30_000;

    private readonly TempDirectory _scratch = TempDirectory.InMemory();

    [Fact]
    public void Lines_the_full_queue_refuses_are_counted_as_queue_full_and_the_ledger_adds_up()
    {
        using var queue = new LineQueue(64 * 1024);
        var metrics = TestMetrics.Create(() => queue.Pending);
        using var receiving = new InProcessReceiver(_scratch.Path, queue, metrics);
        for (var i = 0; i < 5; i++)
        {
            receiving.Send(Long($"line {i}"));
        }

        // Nobody takes from the queue.
        receiving.Stop();

        TestMetrics.Value(metrics.Received).Should().Be(5, "the thread kept reading after the queue was full");
        receiving.Receiver.Published.Should().Be(2);
        TestMetrics.NonZero(metrics.Dropped).Should().Equal(new Dictionary<string, long> { [Reasons.QueueFull] = 3 });
        TestMetrics.Value(metrics.SocketDropped).Should().Be(3);
        TestMetrics.NonZero(metrics.Saturation).Should().Equal(new Dictionary<string, long> { [Reasons.SocketChannel] = 3 });
        var ledger = TestMetrics.Ledger(metrics, queue.Pending);
        ledger.Should().Be(new Ledger(Received: 5, Delivered: 0, DeadLettered: 0, Dropped: 3, InFlight: 2));
        ledger.AddsUp.Should().BeTrue();
        Drain(queue).Should().Equal(Long("line 0"), Long("line 1"));
    }

    [Fact]
    public void Once_a_worker_returns_a_run_the_next_line_is_accepted_again()
    {
        using var queue = new LineQueue(64 * 1024);
        var metrics = TestMetrics.Create(() => queue.Pending);
        using var receiving = new InProcessReceiver(_scratch.Path, queue, metrics);
        receiving.Send(Long("first"));
        receiving.Send(Long("second"));
        receiving.Send(Long("refused"));
        receiving.WaitUntilHandled(3);
        TestMetrics.Value(metrics.Dropped, Reasons.QueueFull).Should().Be(1, "the third line found the ring full");

        Drain(queue).Should().Equal(Long("first"), Long("second"));
        receiving.Send(Long("third"));
        receiving.Stop();

        TestMetrics.Value(metrics.Received).Should().Be(4);
        TestMetrics.Value(metrics.Dropped, Reasons.QueueFull).Should().Be(1);
        TestMetrics.Ledger(metrics, queue.Pending).Should().Be(new Ledger(Received: 4, Delivered: 0, DeadLettered: 0, Dropped: 1, InFlight: 1));
        Drain(queue).Should().Equal(Long("third"));
    }

    [Fact]
    public void Every_datagram_of_a_burst_is_received_once_exactly_and_in_order()
    {
        using var queue = new LineQueue(1 << 20);
        var metrics = TestMetrics.Create(() => queue.Pending);
        using var receiving = new InProcessReceiver(_scratch.Path, queue, metrics);
        var sent = Enumerable.Range(0, 200).Select(i => $"burst line {i} " + new string('x', i * 7)).ToList();
        var got = new List<string>();
        foreach (var line in sent)
        {
            receiving.Send(line);

            // Reading while the sender writes: the thread reads several datagrams per call as they queue up.
            got.AddRange(Drain(queue, complete: false));
        }

        receiving.Stop();
        got.AddRange(Drain(queue));

        TestMetrics.Value(metrics.Received).Should().Be(200);
        TestMetrics.Value(metrics.Dropped, Reasons.QueueFull).Should().Be(0);
        got.Should().Equal(sent);
        receiving.Receiver.Published.Should().Be(200);
        queue.Pending.Should().Be(0);
    }

    public void Dispose() => _scratch.Dispose();

    private static string Long(string line) => line + new string('.', LongLine - line.Length);

    /// <summary>The lines queued, in order, each handed back as a worker would (after <see cref="LineQueue.Complete"/> unless told not to).</summary>
    internal static List<string> Drain(LineQueue queue, bool complete = true)
    {
        if (complete)
        {
            queue.Complete();
        }

        var lines = new List<string>();
        while (queue.Depth > 0 && queue.TryTake() is { } run)
        {
            while (run.TryRead(out var line, out _))
            {
                lines.Add(Encoding.UTF8.GetString(line));
                queue.Handled();
            }

            queue.Return(run);
        }

        return lines;
    }
}
