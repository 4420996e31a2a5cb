using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Forwarder.Metrics;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.DeadLetters;

/// <summary>
/// Where lines go that will not be delivered as messages: <c>kafka.dlq_topic</c> first (with the reason in a
/// header), the local file when Kafka fails that too or is being shut down. Callers (workers, the delivery-report
/// thread) only copy the line into a bounded queue and return; one writer thread builds the JSON, produces to the
/// DLQ topic and appends to the file with one <c>fsync</c> per batch. A dead letter counts only once it is on the
/// DLQ topic (delivery report) or in the file; one that finds the queue full, or that neither takes, is counted as
/// dropped with a reason. Until then it is <see cref="Outstanding"/>, so the ledger stays exact.
/// </summary>
internal sealed partial class DeadLetterSink : IDisposable
{
    /// <summary>How long the writer waits for room in a shared in-flight budget before it writes a batch to the file instead.</summary>
    private static readonly TimeSpan BudgetWait = TimeSpan.FromSeconds(1);

    private readonly IProducer<Null, byte[]> _producer;
    private readonly string _dlqTopic;
    private readonly DeadLetterFile _file;
    private readonly ForwarderMetrics _metrics;
    private readonly EventCount _droppedBacklog;
    private readonly string _host;
    private readonly ILogger _log;
    private readonly DeadLetterQueueLimits _limits;
    private readonly Action<DeliveryReport<Null, byte[]>> _onDelivery;
    private readonly BlockingCollection<QueuedLetter> _queue = new(new ConcurrentQueue<QueuedLetter>());
    private readonly CancellationTokenSource _fileOnlyNow = new();
    private readonly Lock _writing = new();
    private readonly List<QueuedLetter> _batch = [];
    private readonly List<DeadLetter> _toFile = [];
    private readonly Thread _writer;
    private WaterMarks? _budget;
    private long _queuedLines;
    private long _queuedBytes;
    private long _unsent;
    private long _inKafka;
    private long _batches;
    private int _started;
    private int _completed;
    private volatile bool _fileOnly;

    public DeadLetterSink(IProducer<Null, byte[]> producer, string dlqTopic, DeadLetterFile file, ForwarderMetrics metrics, string host, ILogger log, DeadLetterQueueLimits? limits = null)
        : this(producer, dlqTopic, file, metrics, host, log, limits ?? DeadLetterQueueLimits.Default, startWriter: true)
    {
    }

    /// <param name="startWriter">False to queue without writing until <see cref="StartWriter"/> (tests fill the queue first).</param>
    internal DeadLetterSink(IProducer<Null, byte[]> producer, string dlqTopic, DeadLetterFile file, ForwarderMetrics metrics, string host, ILogger log, DeadLetterQueueLimits limits, bool startWriter)
    {
        _producer = producer;
        _dlqTopic = dlqTopic;
        _file = file;
        _metrics = metrics;
        _droppedBacklog = metrics.Dropped.For(Reasons.DeadLetterBacklog);
        _host = host;
        _log = log;
        _limits = limits;
        _onDelivery = OnDelivery;
        _writer = new Thread(Write) { Name = "dead-letter writer", IsBackground = true };
        if (startWriter)
        {
            StartWriter();
        }
    }

    /// <summary>
    /// Dead letters accepted and not yet settled: queued, being written, or on their way to the DLQ topic. Once
    /// <see cref="ShareBudget"/> is called the last part is counted in that budget instead (the main sink's
    /// outstanding count), so adding both never counts a message twice.
    /// </summary>
    public long Outstanding => Interlocked.Read(ref _unsent) + (_budget is null ? Interlocked.Read(ref _inKafka) : 0);

    /// <summary>Dead letters produced to the DLQ topic without a delivery report yet.</summary>
    public long InKafka => Interlocked.Read(ref _inKafka);

    /// <summary>Dead letters waiting in the queue for the writer.</summary>
    public long Queued => Interlocked.Read(ref _queuedLines);

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Batches the writer has handled; each costs at most one <c>fsync</c>.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary><c>fsync</c> calls on the dead-letter file so far.</summary>
    public long FileSyncs => _file.Syncs;

    public string FilePath => _file.Path;

    public DeadLetterQueueLimits Limits => _limits;

    /// <summary>
    /// DLQ messages count against the main topic's in-flight budget from now on: the writer waits (at most
    /// <see cref="BudgetWait"/>, then writes the batch to the file) while it is at its high-water mark.
    /// </summary>
    public void ShareBudget(WaterMarks budget) => _budget = budget;

    /// <summary>From now on dead letters bypass Kafka (shutdown after the flush timeout: Kafka is not taking them).</summary>
    public void UseFileOnly()
    {
        _fileOnly = true;
        _fileOnlyNow.Cancel();
    }

    public void Rejected(string reason, string detail, ReadOnlySpan<byte> line)
    {
        if (Reserve(line.Length))
        {
            Enqueue(QueuedLetter.ForLine(reason, detail, line));
        }
    }

    public void Undelivered(string reason, string detail, string topic, byte[] message)
    {
        if (Reserve(message.Length))
        {
            Enqueue(QueuedLetter.ForMessage(reason, detail, topic, message));
        }
    }

    /// <summary>A message the disk spool refused with a disk error: straight to the file, since Kafka is not taking it.</summary>
    public void Unspoolable(string detail, string topic, byte[] message)
    {
        if (Reserve(message.Length))
        {
            Enqueue(QueuedLetter.ForUnspoolable(Reasons.SpoolWriteFailed, detail, topic, message));
        }
    }

    internal void StartWriter()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _writer.Start();
        }
    }

    /// <summary>Waits until every accepted dead letter is in the file or handed to librdkafka; false on timeout.</summary>
    public bool WaitUntilWritten(TimeSpan timeout) => SpinWait.SpinUntil(() => Interlocked.Read(ref _unsent) == 0, timeout);

    /// <summary>
    /// Flushes <paramref name="producer"/> until neither it nor this sink holds anything, within
    /// <paramref name="timeout"/>: a delivery failure becomes a dead letter, which becomes a DLQ message, which the
    /// next round waits for. Returns what librdkafka still holds (as <c>Flush</c> does); <see cref="Outstanding"/>
    /// says what this sink still holds.
    /// </summary>
    public int Flush(IProducer<Null, byte[]> producer, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            WaitUntilWritten(Remaining());
            var left = producer.Flush(Remaining());
            if (left > 0 || Interlocked.Read(ref _unsent) == 0 || clock.Elapsed >= timeout)
            {
                return left;
            }
        }

        TimeSpan Remaining() => timeout > clock.Elapsed ? timeout - clock.Elapsed : TimeSpan.Zero;
    }

    /// <summary>
    /// Shutdown: takes no more into the queue, writes everything in it to the file (Kafka is being closed) and stops
    /// the writer. A dead letter that arrives later is written at once by its caller.
    /// </summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        UseFileOnly();
        _queue.CompleteAdding();
        if (_writer.IsAlive)
        {
            _writer.Join();
        }
        else
        {
            // The writer never ran: write what was queued here.
            DrainQueue();
        }
    }

    public void Dispose()
    {
        Complete();
        _queue.Dispose();
        _fileOnlyNow.Dispose();
    }

    private bool Reserve(int bytes)
    {
        var lines = Interlocked.Increment(ref _queuedLines);
        var total = Interlocked.Add(ref _queuedBytes, bytes);

        // The byte bound admits one letter into an empty queue, however long, so no line is too long to dead-letter.
        if (lines > _limits.MaxLines || (total > _limits.MaxBytes && lines > 1))
        {
            Interlocked.Decrement(ref _queuedLines);
            Interlocked.Add(ref _queuedBytes, -bytes);
            _droppedBacklog.Add();
            return false;
        }

        Interlocked.Increment(ref _unsent);
        return true;
    }

    private void Enqueue(QueuedLetter letter)
    {
        if (Volatile.Read(ref _completed) == 0)
        {
            try
            {
                if (_queue.TryAdd(letter))
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                // Completed between the check and the add: written below.
            }
        }

        Release(letter);
        WriteBatch([letter]);
    }

    private void Release(QueuedLetter letter)
    {
        Interlocked.Decrement(ref _queuedLines);
        Interlocked.Add(ref _queuedBytes, -letter.Size);
    }

    private void Write()
    {
        try
        {
            foreach (var first in _queue.GetConsumingEnumerable())
            {
                _batch.Clear();
                _batch.Add(first);
                while (_batch.Count < _limits.MaxBatch && _queue.TryTake(out var next))
                {
                    _batch.Add(next);
                }

                // Released as taken, so the queue admits new letters while this batch is written.
                foreach (var letter in _batch)
                {
                    Release(letter);
                }

                WriteBatch(_batch);
            }
        }
        catch (Exception e)
        {
            // A bug here must not end the process from a background thread; what is left is counted, not lost silently.
            Log.WriterFailed(_log, e);
            Volatile.Write(ref _completed, 1);
            DrainQueue();
        }
    }

    private void DrainQueue()
    {
        while (_queue.TryTake(out var letter))
        {
            Release(letter);
            WriteBatch([letter]);
        }
    }

    private void WriteBatch(IReadOnlyList<QueuedLetter> batch)
    {
        lock (_writing)
        {
            _toFile.Clear();
            var toKafka = !_fileOnly && _dlqTopic.Length > 0;
            foreach (var queued in batch)
            {
                var letter = queued.Build(_host);
                if (!toKafka || queued.FileOnly)
                {
                    _toFile.Add(letter);
                }
                else if (!RoomInBudget())
                {
                    _toFile.Add(letter with { Detail = $"{letter.Detail}; DLQ skipped: the in-flight budget stayed full for {BudgetWait.TotalSeconds:0} s" });
                }
                else
                {
                    Produce(letter);
                }
            }

            Append();
            Interlocked.Increment(ref _batches);
        }
    }

    private bool RoomInBudget()
    {
        if (_budget is not { } budget || !budget.MustPause())
        {
            return true;
        }

        _metrics.Saturated(Reasons.KafkaQueueChannel);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_fileOnlyNow.Token);
        wait.CancelAfter(BudgetWait);
        budget.WaitForRoom(wait.Token);
        return !_fileOnly && budget.Outstanding < budget.High;
    }

    private void Produce(DeadLetter letter)
    {
        var value = JsonSerializer.SerializeToUtf8Bytes(letter, DeadLetterJson.Default.DeadLetter);
        var headers = new Headers { { "reason", Encoding.UTF8.GetBytes(letter.Reason) } };

        // Counted in librdkafka before it stops counting as unsent, so the sum never dips.
        _budget?.Added();
        Interlocked.Increment(ref _inKafka);
        Interlocked.Decrement(ref _unsent);
        try
        {
            _producer.Produce(_dlqTopic, new Message<Null, byte[]> { Value = value, Headers = headers }, _onDelivery);
        }
        catch (KafkaException e)
        {
            Interlocked.Increment(ref _unsent);
            Interlocked.Decrement(ref _inKafka);
            _budget?.Withdrawn();
            _toFile.Add(letter with { Detail = $"{letter.Detail}; DLQ produce failed: {e.Error.Reason}" });
        }
    }

    private void OnDelivery(DeliveryReport<Null, byte[]> report)
    {
        try
        {
            var reason = Encoding.UTF8.GetString(report.Message.Headers.GetLastBytes("reason"));
            if (!report.Error.IsError)
            {
                _metrics.DeadLettered.For(reason).Add();
                return;
            }

            // Back to the writer for the file. Not bounded: the budget already bounded it as a DLQ message.
            Interlocked.Increment(ref _unsent);
            var refused = QueuedLetter.ForRefused(reason, report.Message.Value, $"DLQ delivery failed: {report.Error.Reason}");
            Interlocked.Increment(ref _queuedLines);
            Interlocked.Add(ref _queuedBytes, refused.Size);
            Enqueue(refused);
        }
        finally
        {
            Interlocked.Decrement(ref _inKafka);
            _budget?.Reported();
        }
    }

    private void Append()
    {
        if (_toFile.Count == 0)
        {
            return;
        }

        var error = _file.TryAppend(_toFile);
        foreach (var letter in _toFile)
        {
            if (error is null)
            {
                _metrics.DeadLettered.For(letter.Reason).Add();
                _metrics.DeadLetterFile.Add();
            }
            else
            {
                _metrics.DroppedDeadLetterWriteFailed.Add();
            }

            Interlocked.Decrement(ref _unsent);
        }

        if (error is not null)
        {
            Log.FileWriteFailed(_log, _file.Path, error, _toFile.Count);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "cannot write dead-letter file {Path}: {Error}; {Count} dead letters are lost and counted as dropped{{reason=\"dead_letter_write_failed\"}}")]
        public static partial void FileWriteFailed(ILogger logger, string path, string error, int count);

        [LoggerMessage(Level = LogLevel.Critical, Message = "the dead-letter writer failed; what is queued is written by the caller from now on")]
        public static partial void WriterFailed(ILogger logger, Exception exception);
    }
}
