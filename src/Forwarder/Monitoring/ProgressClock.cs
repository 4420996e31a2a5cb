namespace HaproxyKafka.Forwarder;

/// <summary>When the pipeline last finished a line (delivered or dead-lettered): the basis of liveness.</summary>
internal sealed class ProgressClock
{
    private long _lastSettled = Environment.TickCount64;
    private long _lastDeliveryUnixMs;

    public TimeSpan SinceSettled => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastSettled));

    public DateTimeOffset? LastDelivery =>
        Interlocked.Read(ref _lastDeliveryUnixMs) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public void Settled()
    {
        Interlocked.Exchange(ref _lastSettled, Environment.TickCount64);
        Interlocked.Exchange(ref _lastDeliveryUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    /// <summary>Nothing is pending, so there is nothing to make progress on: reset the clock.</summary>
    public void Idle() => Interlocked.Exchange(ref _lastSettled, Environment.TickCount64);
}
