using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Spool;

/// <param name="Directory">Holds the segment files (<c>NNNNNNNNNNNNNNNN.seg</c>) and the cursor.</param>
/// <param name="MaxBytes">Bytes of segment files at most; an append past it is refused (<see cref="SpoolRefusal.Full"/>).</param>
/// <param name="FsyncInterval">Zero: every append is synced before it returns. Otherwise at most this long unsynced.</param>
/// <param name="SegmentBytes">Size at which a new segment starts; whole segments are deleted once acknowledged.</param>
internal sealed record SpoolOptions(string Directory, long MaxBytes, TimeSpan FsyncInterval, long SegmentBytes)
{
    /// <summary>Eight segments per spool, each between 64 KiB and 64 MiB: deletion frees space in steps of an eighth at most.</summary>
    public static SpoolOptions From(SpoolSettings settings) =>
        new(settings.Path, settings.MaxBytes, settings.FsyncInterval, Math.Clamp(settings.MaxBytes / 8, 64L << 10, 64L << 20));
}

/// <summary>Why an append did not take every record.</summary>
internal enum SpoolRefusal
{
    None,

    /// <summary><c>spool.max_bytes</c> is reached: the caller counts the rest as <c>dropped{reason="spool_full"}</c>.</summary>
    Full,

    /// <summary>The disk refused the write (ENOSPC, EIO, read-only): counted the same way, with the error logged.</summary>
    DiskError,
}

/// <param name="Appended">Records taken, from the start of the batch; the rest were refused.</param>
internal readonly record struct SpoolAppend(int Appended, SpoolRefusal Refusal, string? Error);
