using HaproxyKafka.Forwarder.Receiving;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>The hand-off the receive thread uses: it must refuse, never wait, when every slot is taken.</summary>
public class LineQueueTests
{
    [Fact]
    public void A_full_queue_refuses_the_next_line_at_once_instead_of_blocking()
    {
        using var queue = new LineQueue(3);
        var rented = new List<LineSlot>();
        for (var i = 0; i < 3; i++)
        {
            queue.TryRent(out var slot).Should().BeTrue($"slot {i} of 3 is free");
            slot.Fill([(byte)i]);
            queue.Publish(slot);
            rented.Add(slot);
        }

        var refused = queue.TryRent(out var none);

        refused.Should().BeFalse("every slot is queued; the receive thread must count the line, not wait for a worker");
        none.Should().BeNull();
        rented.Should().OnlyHaveUniqueItems();
        queue.Depth.Should().Be(3, "publishing every slot the pool hands out fits the bounded collection");
        queue.Pending.Should().Be(3);
    }

    [Fact]
    public void A_returned_slot_is_reused_and_the_pool_never_grows_past_the_capacity()
    {
        using var queue = new LineQueue(2);
        queue.TryRent(out var first).Should().BeTrue();
        queue.TryRent(out var second).Should().BeTrue();
        queue.Publish(first);
        queue.Publish(second);
        queue.TryRent(out _).Should().BeFalse();

        queue.TryTake(out var taken).Should().BeTrue();
        queue.Return(taken);

        queue.Pending.Should().Be(1, "one line is still queued");
        queue.TryRent(out var again).Should().BeTrue("a worker gave a slot back");
        again.Should().BeSameAs(first, "slots are pooled, not allocated per line");
        queue.TryRent(out _).Should().BeFalse("the returned slot is the only free one");
    }

    [Fact]
    public void Concurrent_renters_get_exactly_capacity_slots()
    {
        const int Capacity = 5;
        using var queue = new LineQueue(Capacity);
        var granted = 0;
        var refused = 0;
        using var start = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(n => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 1000; i++)
            {
                if (queue.TryRent(out _))
                {
                    Interlocked.Increment(ref granted);
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        granted.Should().Be(Capacity);
        refused.Should().Be(4000 - Capacity);
    }

    [Fact]
    public void Pending_counts_lines_queued_and_lines_a_worker_still_holds()
    {
        using var queue = new LineQueue(4);
        foreach (var b in "ab"u8.ToArray())
        {
            queue.TryRent(out var slot).Should().BeTrue();
            slot.Fill([b]);
            queue.Publish(slot);
        }

        queue.TryTake(out var held).Should().BeTrue();

        queue.Depth.Should().Be(1);
        queue.Pending.Should().Be(2, "the line a worker holds is still in flight");
        held.Line.ToArray().Should().Equal((byte)'a');
        queue.Return(held);
        queue.Pending.Should().Be(1);
    }

    [Fact]
    public void After_complete_workers_drain_what_is_queued_in_order_and_then_stop()
    {
        using var queue = new LineQueue(4);
        foreach (var b in "xyz"u8.ToArray())
        {
            queue.TryRent(out var slot).Should().BeTrue();
            slot.Fill([b]);
            queue.Publish(slot);
        }

        queue.Complete();

        var drained = new List<byte>();
        while (queue.TryTake(out var slot))
        {
            drained.Add(slot.Line[0]);
            queue.Return(slot);
        }

        drained.Should().Equal("xyz"u8.ToArray());
        queue.Pending.Should().Be(0);
    }
}
