namespace HaproxyKafka.Forwarder.DeadLetters;

/// <summary>
/// How much the dead-letter queue holds between the hot threads and its writer, and how much the writer takes at
/// once. The queue is bounded twice: by lines (each costs an object however short) and by bytes (a storm of long
/// lines must not grow the heap past a budget). A dead letter that finds it full is dropped and counted.
/// </summary>
/// <param name="MaxLines">Dead letters queued at most (config <c>dead_letter_queue.max_lines</c>).</param>
/// <param name="MaxBytes">Bytes of lines and messages queued at most (config <c>dead_letter_queue.max_bytes</c>).</param>
/// <param name="MaxBatch">Dead letters the writer takes per batch: one DLQ produce pass and one <c>fsync</c>.</param>
internal sealed record DeadLetterQueueLimits(int MaxLines, long MaxBytes, int MaxBatch)
{
    public static readonly DeadLetterQueueLimits Default = new(MaxLines: 100_000, MaxBytes: 64L << 20, MaxBatch: 4096);
}
