using System.Collections.Concurrent;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Metrics;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Spool;

/// <summary>
/// The one thread that writes to the <see cref="DiskSpool"/>: callers (the delivery-report thread, workers over the
/// in-flight budget, the shutdown purge) only queue a record and return, and the writer appends what has gathered
/// in one batch, so one <c>fsync</c> (with <c>spool.fsync: batch</c>) covers many records. The queue is bounded in
/// bytes for workers (<see cref="AddWaiting"/> waits for room: back-pressure from the disk, not a drop); delivery
/// reports never wait, since the in-flight budget already bounds what they can bring. A record counts as spooled once
/// it is in a segment; one the spool refuses is counted as <c>dropped{reason="spool_full"}</c> (full) or handed to
/// the dead-letter file (a disk error). Until then it is <see cref="Pending"/>, part of the ledger's in-flight.
/// </summary>
internal sealed partial class SpoolWriter : IDisposable
{
    private const int MaxBatch = 1000;

    private readonly DiskSpool _spool;
    private readonly ForwarderMetrics _metrics;
    private readonly DeadLetterSink _deadLetters;
    private readonly ILogger _log;
    private readonly long _maxQueuedBytes;
    private readonly BlockingCollection<Queued> _queue = new(new ConcurrentQueue<Queued>());
    private readonly ManualResetEventSlim _room = new(true);
    private readonly Lock _writing = new();
    private readonly List<Queued> _batch = [];
    private readonly List<SpoolRecord> _records = [];
    private readonly Thread _writer;
    private long _pending;
    private long _queuedBytes;
    private int _completed;
    private bool _refusing;

    public SpoolWriter(DiskSpool spool, ForwarderMetrics metrics, DeadLetterSink deadLetters, ILogger log, long maxQueuedBytes)
    {
        _spool = spool;
        _metrics = metrics;
        _deadLetters = deadLetters;
        _log = log;
        _maxQueuedBytes = maxQueuedBytes;
        _writer = new Thread(Write) { Name = "spool writer", IsBackground = true };
        _writer.Start();
    }

    /// <summary>Records accepted and not yet in the spool, dropped or dead-lettered.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    public DiskSpool Spool => _spool;

    /// <summary>Queues a record without waiting (delivery reports, shutdown).</summary>
    public void Add(SpoolRecord record, string reason)
    {
        Interlocked.Increment(ref _pending);
        Interlocked.Add(ref _queuedBytes, record.Value.Length);
        var queued = new Queued(record, reason);
        if (Volatile.Read(ref _completed) == 0)
        {
            try
            {
                if (_queue.TryAdd(queued))
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                // Completed between the check and the add: written below.
            }
        }

        Taken([queued]);
        WriteBatch([queued]);
    }

    /// <summary>Queues a record from a worker, first waiting while the queue holds more than its byte bound.</summary>
    public void AddWaiting(SpoolRecord record, string reason, CancellationToken stopping)
    {
        while (Interlocked.Read(ref _queuedBytes) > _maxQueuedBytes && Volatile.Read(ref _completed) == 0 && !stopping.IsCancellationRequested)
        {
            _room.Reset();
            if (Interlocked.Read(ref _queuedBytes) > _maxQueuedBytes)
            {
                // Short waits: the writer sets the event after each batch, and a reset racing it costs one round.
                _room.Wait(10, CancellationToken.None);
            }
        }

        Add(record, reason);
    }

    /// <summary>Writes everything queued and stops the writer; later records are written by their caller.</summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        _queue.CompleteAdding();
        _writer.Join();
    }

    public void Dispose()
    {
        Complete();
        _queue.Dispose();
        _room.Dispose();
    }

    private void Write()
    {
        try
        {
            foreach (var first in _queue.GetConsumingEnumerable())
            {
                _batch.Clear();
                _batch.Add(first);
                while (_batch.Count < MaxBatch && _queue.TryTake(out var next))
                {
                    _batch.Add(next);
                }

                Taken(_batch);
                WriteBatch(_batch);
            }
        }
        catch (Exception e)
        {
            // A bug here must not end the process from a background thread; what is queued is still settled.
            Log.WriterFailed(_log, e);
            Volatile.Write(ref _completed, 1);
            while (_queue.TryTake(out var left))
            {
                Taken([left]);
                WriteBatch([left]);
            }
        }
    }

    /// <summary>Taken off the queue: its bytes no longer count against the bound.</summary>
    private void Taken(IReadOnlyList<Queued> batch)
    {
        long bytes = 0;
        foreach (var queued in batch)
        {
            bytes += queued.Record.Value.Length;
        }

        if (Interlocked.Add(ref _queuedBytes, -bytes) <= _maxQueuedBytes)
        {
            _room.Set();
        }
    }

    private void WriteBatch(IReadOnlyList<Queued> batch)
    {
        lock (_writing)
        {
            _records.Clear();
            foreach (var queued in batch)
            {
                _records.Add(queued.Record);
            }

            var result = _spool.Append(_records);
            for (var i = 0; i < result.Appended; i++)
            {
                _metrics.SpoolAppended.For(batch[i].Reason).Add();
            }

            var refused = batch.Count - result.Appended;
            if (refused > 0)
            {
                Refused(batch, result);
            }
            else if (_refusing)
            {
                _refusing = false;
                Log.Accepting(_log, _spool.Options.Directory);
            }

            Interlocked.Add(ref _pending, -batch.Count);
        }
    }

    private void Refused(IReadOnlyList<Queued> batch, SpoolAppend result)
    {
        var refused = batch.Count - result.Appended;
        if (!_refusing)
        {
            // Once per episode, not per batch: a full spool under load would otherwise log thousands of lines a second.
            _refusing = true;
            if (result.Refusal == SpoolRefusal.Full)
            {
                Log.Full(_log, _spool.Options.Directory, _spool.Options.MaxBytes, refused);
            }
            else
            {
                Log.DiskError(_log, _spool.Options.Directory, result.Error ?? "unknown error", refused);
            }
        }

        for (var i = result.Appended; i < batch.Count; i++)
        {
            if (result.Refusal == SpoolRefusal.Full)
            {
                _metrics.DroppedSpoolFull.Add();
            }
            else
            {
                var record = batch[i].Record;
                _deadLetters.Unspoolable($"spool write failed: {result.Error}", record.Topic, record.Value);
            }
        }
    }

    private sealed record Queued(SpoolRecord Record, string Reason);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "spool {Directory} is full (spool.max_bytes {MaxBytes}): {Count} messages dropped and counted as dropped{{reason=\"spool_full\"}}, and more until replay frees room")]
        public static partial void Full(ILogger logger, string directory, long maxBytes, int count);

        [LoggerMessage(Level = LogLevel.Error, Message = "cannot write spool {Directory}: {Error}; {Count} messages go to the dead-letter file instead, and more until the disk takes writes again")]
        public static partial void DiskError(ILogger logger, string directory, string error, int count);

        [LoggerMessage(Level = LogLevel.Information, Message = "spool {Directory} takes writes again")]
        public static partial void Accepting(ILogger logger, string directory);

        [LoggerMessage(Level = LogLevel.Critical, Message = "the spool writer failed; what is queued is written by the caller from now on")]
        public static partial void WriterFailed(ILogger logger, Exception exception);
    }
}
