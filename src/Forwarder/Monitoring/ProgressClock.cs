namespace HaproxyKafka.Forwarder;

/// <summary>When the pipeline last finished a line (delivered or dead-lettered): the basis of liveness.</summary>
internal sealed class ProgressClock
{
    private readonly TimeProvider _time;
    private long _lastSettled;
    private long _lastDeliveryUnixMs;

    /// <param name="time">The clock; <see cref="TimeProvider.System"/> unless a test drives time itself.</param>
    public ProgressClock(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _lastSettled = _time.GetTimestamp();
    }

    public TimeSpan SinceSettled => _time.GetElapsedTime(Interlocked.Read(ref _lastSettled));

    public DateTimeOffset? LastDelivery =>
        Interlocked.Read(ref _lastDeliveryUnixMs) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public void Settled()
    {
        Interlocked.Exchange(ref _lastSettled, _time.GetTimestamp());
        Interlocked.Exchange(ref _lastDeliveryUnixMs, _time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>Nothing is pending, so there is nothing to make progress on: reset the clock.</summary>
    public void Idle() => Interlocked.Exchange(ref _lastSettled, _time.GetTimestamp());
}
