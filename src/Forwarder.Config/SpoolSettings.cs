namespace HaproxyKafka.Forwarder.Config;

/// <summary>
/// <c>spool:</c>, the on-disk spool for lines Kafka cannot take. An empty <see cref="Path"/> means no spool.
/// </summary>
/// <param name="Path"><c>spool.path</c>: the directory holding the segment files and the read cursor.</param>
/// <param name="MaxBytes"><c>spool.max_bytes</c>: bytes on disk at most; writes past it are refused (<c>spool_full</c>).</param>
/// <param name="FsyncInterval">
/// <c>spool.fsync</c>: <c>batch</c> (<see cref="TimeSpan.Zero"/>, the default) syncs every appended batch before
/// the append returns; a duration syncs at most that often, trading what a power cut can take for fewer syncs.
/// </param>
public sealed record SpoolSettings(string Path, long MaxBytes, TimeSpan FsyncInterval)
{
    public const long DefaultMaxBytes = 1L << 30;

    public static readonly SpoolSettings Disabled = new(string.Empty, DefaultMaxBytes, TimeSpan.Zero);

    public bool Enabled => Path.Length > 0;
}

/// <summary><c>dead_letter_queue:</c>, how many dead letters wait for the writer thread at most.</summary>
public sealed record DeadLetterQueueSettings(int MaxLines, long MaxBytes)
{
    public static readonly DeadLetterQueueSettings Default = new(100_000, 64L << 20);
}
