namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// How many messages, and how many bytes of values, librdkafka holds for the sink, bounded with hysteresis: a
/// producer that finds either count at or above its high-water mark (90% of <c>queue.buffering.max.messages</c>,
/// 90% of <c>queue.buffering.max.kbytes</c>) pauses until delivery reports bring both down to their low-water marks
/// (half of the high ones). Only the counting and the pause: <see cref="KafkaSink"/> decides what to count as
/// saturation and what to produce.
/// </summary>
internal sealed class WaterMarks
{
    private readonly ManualResetEventSlim _room = new(true);
    private long _outstanding;
    private long _outstandingBytes;

    public WaterMarks(int queueLimit, long byteLimit = long.MaxValue)
    {
        High = Math.Max(1, queueLimit * 9L / 10);
        Low = High / 2;
        HighBytes = byteLimit == long.MaxValue ? long.MaxValue : Math.Max(1, byteLimit / 10 * 9);
        LowBytes = HighBytes == long.MaxValue ? long.MaxValue : HighBytes / 2;
    }

    public long High { get; }

    public long Low { get; }

    public long HighBytes { get; }

    public long LowBytes { get; }

    public long Outstanding => Interlocked.Read(ref _outstanding);

    public long OutstandingBytes => Interlocked.Read(ref _outstandingBytes);

    public bool Paused => !_room.IsSet;

    /// <summary>Both counts are under their low-water marks: room to spare for work that may wait (spool replay).</summary>
    public bool BelowLowWater => BelowLow();

    /// <summary>
    /// <c>true</c> when a count is at or above its high-water mark: the caller counts the saturation and then calls
    /// <see cref="WaitForRoom"/>. Re-checked after closing the gate, so a report that raced it does not strand anyone.
    /// </summary>
    public bool MustPause()
    {
        if (!AboveHigh())
        {
            return false;
        }

        _room.Reset();
        if (AboveHigh())
        {
            return true;
        }

        _room.Set();
        return false;
    }

    /// <summary>Waits until reports bring the counts to the low-water marks, or shutdown (then it returns anyway).</summary>
    public void WaitForRoom(CancellationToken stopping)
    {
        try
        {
            // Wakes periodically as well, in case a report raced the reset in MustPause.
            while (!_room.Wait(100, stopping) && !BelowLow())
            {
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown: produce anyway; the flush and purge that follow account for it.
        }
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for the low-water marks; false when they were not reached in time (the
    /// caller spools instead of waiting on a broker that is not draining) or on shutdown.
    /// </summary>
    public bool WaitForRoom(TimeSpan timeout, CancellationToken stopping)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        try
        {
            while (true)
            {
                var left = deadline - Environment.TickCount64;
                if (_room.Wait((int)Math.Clamp(left, 0, 100), stopping) || BelowLow())
                {
                    return true;
                }

                if (left <= 0)
                {
                    return false;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A message (its value <paramref name="bytes"/> long) is about to be handed to librdkafka.</summary>
    public void Added(long bytes = 0)
    {
        Interlocked.Increment(ref _outstanding);
        if (bytes != 0)
        {
            Interlocked.Add(ref _outstandingBytes, bytes);
        }
    }

    /// <summary>librdkafka refused the message outright (no report will come): it is no longer outstanding.</summary>
    public void Withdrawn(long bytes = 0)
    {
        Interlocked.Decrement(ref _outstanding);
        if (bytes != 0)
        {
            Interlocked.Add(ref _outstandingBytes, -bytes);
        }
    }

    /// <summary>A delivery report arrived; at the low-water marks the paused producers resume.</summary>
    public void Reported(long bytes = 0)
    {
        var left = Interlocked.Decrement(ref _outstanding);
        var leftBytes = bytes != 0 ? Interlocked.Add(ref _outstandingBytes, -bytes) : Interlocked.Read(ref _outstandingBytes);
        if (left <= Low && leftBytes <= LowBytes)
        {
            _room.Set();
        }
    }

    private bool AboveHigh() => Interlocked.Read(ref _outstanding) >= High || Interlocked.Read(ref _outstandingBytes) >= HighBytes;

    private bool BelowLow() => Interlocked.Read(ref _outstanding) < Low && Interlocked.Read(ref _outstandingBytes) < LowBytes;
}
