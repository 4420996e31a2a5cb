using System.Text;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Receiving;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>The receive thread on a real socket in this process: a line the queue refuses is counted at once, never waited for.</summary>
public sealed class ReceiverTests : IDisposable
{
    private readonly TempDirectory _scratch = TempDirectory.InMemory();

    [Fact]
    public void Lines_the_full_queue_refuses_are_counted_as_queue_full_and_the_ledger_adds_up()
    {
        using var queue = new LineQueue(2);
        var metrics = TestMetrics.Create(() => queue.Pending);
        using var receiving = new InProcessReceiver(_scratch.Path, queue, metrics);
        for (var i = 0; i < 5; i++)
        {
            receiving.Send($"line {i}");
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
        Drain(queue).Should().Equal("line 0", "line 1");
    }

    [Fact]
    public void Once_a_worker_returns_a_slot_the_next_line_is_accepted_again()
    {
        using var queue = new LineQueue(1);
        var metrics = TestMetrics.Create(() => queue.Pending);
        using var receiving = new InProcessReceiver(_scratch.Path, queue, metrics);
        receiving.Send("first");
        receiving.Send("refused");
        receiving.WaitUntilHandled(2);
        TestMetrics.Value(metrics.Dropped, Reasons.QueueFull).Should().Be(1, "the second line found the only slot taken");

        queue.TryTake(out var slot).Should().BeTrue();
        Encoding.UTF8.GetString(slot.Line).Should().Be("first");
        queue.Return(slot);
        receiving.Send("third");
        receiving.Stop();

        TestMetrics.Value(metrics.Received).Should().Be(3);
        TestMetrics.Value(metrics.Dropped, Reasons.QueueFull).Should().Be(1);
        TestMetrics.Ledger(metrics, queue.Pending).Should().Be(new Ledger(Received: 3, Delivered: 0, DeadLettered: 0, Dropped: 1, InFlight: 1));
        Drain(queue).Should().Equal("third");
    }

    public void Dispose() => _scratch.Dispose();

    private static List<string> Drain(LineQueue queue)
    {
        queue.Complete();
        var lines = new List<string>();
        while (queue.TryTake(out var slot))
        {
            lines.Add(Encoding.UTF8.GetString(slot.Line));
            queue.Return(slot);
        }

        return lines;
    }
}
