using System.Threading.Channels;
using HaproxyKafka.Forwarder.Metrics;

namespace HaproxyKafka.Forwarder.Tap;

/// <summary>
/// One connected tap client. Workers offer lines; what passes the cheap filters is copied, at most a few times the
/// client's rate per second, into a small bounded channel that never blocks a worker: when it is full the line is
/// skipped and counted. The client's connection reads the channel (<see cref="TapServer"/>).
/// </summary>
internal sealed class TapSubscription
{
    private const int Capacity = 256;

    private readonly Channel<TapEvent> _events = Channel.CreateBounded<TapEvent>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly TapCounters _counters;
    private readonly int _copyBudget;
    private long _windowStart = Environment.TickCount64;
    private int _copiedInWindow;

    public TapSubscription(TapFilter filter, TapCounters counters)
    {
        Filter = filter;
        _counters = counters;

        // Copies per second before the exact filter and the rate limit: enough slack for the exact filter to throw
        // some away, and a fixed bound on what a tap costs the workers whatever the traffic.
        _copyBudget = Math.Max(64, 4 * filter.Rate);
    }

    public TapFilter Filter { get; }

    public ChannelReader<TapEvent> Events => _events.Reader;

    public void Offer(TapKind kind, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> message, string? reason, string? description)
    {
        if (!Filter.MayMatch(kind, raw, message, reason))
        {
            return;
        }

        var now = Environment.TickCount64;
        var start = Volatile.Read(ref _windowStart);
        if (now - start >= 1000 && Interlocked.CompareExchange(ref _windowStart, now, start) == start)
        {
            Volatile.Write(ref _copiedInWindow, 0);
        }

        if (Interlocked.Increment(ref _copiedInWindow) > _copyBudget)
        {
            _counters.RateLimited.Add();
            return;
        }

        var tapped = new TapEvent(kind, raw.ToArray(), message.IsEmpty ? null : message.ToArray(), reason, description);
        if (!_events.Writer.TryWrite(tapped))
        {
            _counters.BacklogFull.Add();
        }
    }

    public void Complete() => _events.Writer.TryComplete();
}
