using HaproxyKafka.Forwarder.Metrics;

namespace HaproxyKafka.Forwarder.Tap;

/// <summary>
/// Where workers show lines to tap clients. With nobody tapping, a worker pays one volatile read per line
/// (<see cref="Active"/>); subscriptions are an array replaced on change, so offering takes no lock.
/// </summary>
internal sealed class TapHub(ForwarderMetrics metrics)
{
    private readonly Lock _lock = new();
    private TapSubscription[] _subscriptions = [];

    public TapCounters Counters { get; } = new(metrics);

    public bool Active => Volatile.Read(ref _subscriptions).Length != 0;

    public int Subscribers => Volatile.Read(ref _subscriptions).Length;

    public TapSubscription Subscribe(TapFilter filter)
    {
        var subscription = new TapSubscription(filter, Counters);
        lock (_lock)
        {
            Volatile.Write(ref _subscriptions, [.. _subscriptions, subscription]);
        }

        return subscription;
    }

    public void Unsubscribe(TapSubscription subscription)
    {
        lock (_lock)
        {
            Volatile.Write(ref _subscriptions, [.. _subscriptions.Where(s => s != subscription)]);
        }

        subscription.Complete();
    }

    public void Offer(TapKind kind, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> message, string? reason = null, string? description = null)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            subscription.Offer(kind, raw, message, reason, description);
        }
    }
}
