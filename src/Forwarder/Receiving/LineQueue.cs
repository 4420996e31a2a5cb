using System.Collections.Concurrent;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// The bounded hand-off between the receive thread and the workers, with its own slot pool. The receive thread
/// only ever calls <see cref="TryRent"/> and <see cref="Publish"/>, which never block: when every slot is taken the
/// line is refused and the caller counts it. Slots are created on demand up to the capacity and then reused.
/// </summary>
internal sealed class LineQueue : IDisposable
{
    private readonly ConcurrentQueue<LineSlot> _free = new();
    private readonly BlockingCollection<LineSlot> _ready;
    private int _created;
    private long _pending;

    public LineQueue(int capacity)
    {
        Capacity = capacity;
        _ready = new BlockingCollection<LineSlot>(new ConcurrentQueue<LineSlot>(), capacity);
    }

    public int Capacity { get; }

    public int Depth => _ready.Count;

    /// <summary>Lines published and not yet returned: queued plus the ones workers hold.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public bool TryRent(out LineSlot slot)
    {
        if (_free.TryDequeue(out slot!))
        {
            return true;
        }

        if (Interlocked.Increment(ref _created) <= Capacity)
        {
            slot = new LineSlot();
            return true;
        }

        Interlocked.Decrement(ref _created);
        slot = null!;
        return false;
    }

    public void Publish(LineSlot slot)
    {
        Interlocked.Increment(ref _pending);
        _ready.Add(slot);
    }

    /// <summary>Blocks until a line is ready; <c>false</c> once the queue is completed and empty.</summary>
    public bool TryTake(out LineSlot slot) => _ready.TryTake(out slot!, Timeout.Infinite);

    /// <summary>A worker is done with the line (delivered to librdkafka, dead-lettered or dropped).</summary>
    public void Return(LineSlot slot)
    {
        _free.Enqueue(slot);
        Interlocked.Decrement(ref _pending);
    }

    /// <summary>No more lines will be published; workers drain what is there and stop.</summary>
    public void Complete() => _ready.CompleteAdding();

    public void Dispose() => _ready.Dispose();
}
