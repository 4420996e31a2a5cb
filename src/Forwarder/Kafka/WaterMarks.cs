namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// How many messages librdkafka holds for the sink, bounded with hysteresis: a producer that finds the count at or
/// above the high-water mark (90% of <c>queue.buffering.max.messages</c>) pauses until delivery reports bring it
/// down to the low-water mark (half of the high one). Only the counting and the pause: <see cref="KafkaSink"/>
/// decides what to count as saturation and what to produce.
/// </summary>
internal sealed class WaterMarks
{
    private readonly ManualResetEventSlim _room = new(true);
    private long _outstanding;

    public WaterMarks(int queueLimit)
    {
        High = Math.Max(1, queueLimit * 9L / 10);
        Low = High / 2;
    }

    public long High { get; }

    public long Low { get; }

    public long Outstanding => Interlocked.Read(ref _outstanding);

    public bool Paused => !_room.IsSet;

    /// <summary>
    /// <c>true</c> when the count is at or above the high-water mark: the caller counts the saturation and then calls
    /// <see cref="WaitForRoom"/>. Re-checked after closing the gate, so a report that raced it does not strand anyone.
    /// </summary>
    public bool MustPause()
    {
        if (Interlocked.Read(ref _outstanding) < High)
        {
            return false;
        }

        _room.Reset();
        if (Interlocked.Read(ref _outstanding) >= High)
        {
            return true;
        }

        _room.Set();
        return false;
    }

    /// <summary>Waits until a report brings the count to the low-water mark, or shutdown (then it returns anyway).</summary>
    public void WaitForRoom(CancellationToken stopping)
    {
        try
        {
            // Wakes periodically as well, in case a report raced the reset in MustPause.
            while (!_room.Wait(100, stopping) && Interlocked.Read(ref _outstanding) >= Low)
            {
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown: produce anyway; the flush and purge that follow account for it.
        }
    }

    /// <summary>A message is about to be handed to librdkafka.</summary>
    public void Added() => Interlocked.Increment(ref _outstanding);

    /// <summary>librdkafka refused the message outright (no report will come): it is no longer outstanding.</summary>
    public void Withdrawn() => Interlocked.Decrement(ref _outstanding);

    /// <summary>A delivery report arrived; at the low-water mark the paused producers resume.</summary>
    public void Reported()
    {
        if (Interlocked.Decrement(ref _outstanding) <= Low)
        {
            _room.Set();
        }
    }
}
