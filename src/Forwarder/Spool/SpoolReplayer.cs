using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Spool;

/// <summary>
/// Replays the spool in order through a delivery delegate, one batch at a time: read, deliver, acknowledge on
/// success (the cursor moves and is persisted), rewind on failure (the batch comes again after a pause, so replay is
/// at least once). Fresh lines come first: a batch starts only while <c>mayReplay</c> says the sink has room (the
/// lead wires it to the in-flight budget's low-water mark), and never faster than <see cref="SpoolReplayOptions.MaxRecordsPerSecond"/>.
/// </summary>
internal sealed partial class SpoolReplayer : IDisposable
{
    private readonly DiskSpool _spool;
    private readonly Func<IReadOnlyList<SpoolRecord>, CancellationToken, Task<bool>> _deliver;
    private readonly Func<bool> _mayReplay;
    private readonly SpoolReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;
    private long _failedBatches;

    /// <param name="deliver">
    /// Produces the batch and completes once every record has its delivery report: true when all were delivered. A
    /// false answer replays the whole batch again later (records already delivered are then delivered twice).
    /// </param>
    /// <param name="mayReplay">True while fresh lines leave room (checked before each batch).</param>
    public SpoolReplayer(DiskSpool spool, Func<IReadOnlyList<SpoolRecord>, CancellationToken, Task<bool>> deliver, Func<bool> mayReplay, SpoolReplayOptions options, ILogger log, TimeProvider? time = null)
    {
        _spool = spool;
        _deliver = deliver;
        _mayReplay = mayReplay;
        _options = options;
        _log = log;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Batches the delegate did not deliver whole (each is replayed again).</summary>
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    public void Start() => _running ??= Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Stops after the batch in hand; what is not acknowledged stays in the spool for the next start.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        if (_running is { } running)
        {
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
                // Stopping is the expected way out.
            }
        }
    }

    /// <summary>One read-deliver-acknowledge round; false when there was nothing to do or delivery failed.</summary>
    public async Task<bool> ReplayBatchAsync(CancellationToken cancellationToken)
    {
        var entries = _spool.Read(_options.BatchRecords);
        if (entries.Count == 0)
        {
            return false;
        }

        var delivered = false;
        try
        {
            delivered = await _deliver([.. entries.Select(e => e.Record)], cancellationToken);
        }
        finally
        {
            if (delivered)
            {
                _spool.Acknowledge(entries[^1].End, entries.Count);
            }
            else
            {
                Interlocked.Increment(ref _failedBatches);
                _spool.Rewind();
            }
        }

        return delivered;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            if (_spool.Records == 0 || !_mayReplay())
            {
                await Task.Delay(_options.IdlePoll, _time, stopping);
                continue;
            }

            var started = _time.GetTimestamp();
            bool delivered;
            try
            {
                delivered = await ReplayBatchAsync(stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ReplayFailed(_log, e);
                delivered = false;
            }

            if (!delivered)
            {
                await Task.Delay(_options.RetryPause, _time, stopping);
                continue;
            }

            // The rate cap: a batch of N records takes at least N / MaxRecordsPerSecond.
            var budget = TimeSpan.FromSeconds((double)_options.BatchRecords / _options.MaxRecordsPerSecond);
            var left = budget - _time.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, _time, stopping);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "spool replay failed; the batch stays in the spool and is retried")]
        public static partial void ReplayFailed(ILogger logger, Exception exception);
    }
}

/// <param name="BatchRecords">Records per read-deliver-acknowledge round (one cursor write each).</param>
/// <param name="MaxRecordsPerSecond">The replay rate cap, well under what the sink sustains, so fresh lines keep their share.</param>
/// <param name="IdlePoll">How often an empty spool, or a sink without room, is looked at again.</param>
/// <param name="RetryPause">The pause after a batch that was not delivered.</param>
internal sealed record SpoolReplayOptions(int BatchRecords, int MaxRecordsPerSecond, TimeSpan IdlePoll, TimeSpan RetryPause)
{
    public static readonly SpoolReplayOptions Default = new(500, 5000, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
}
