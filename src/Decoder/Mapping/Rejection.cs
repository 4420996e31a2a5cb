namespace HaproxyKafka.Decoder.Mapping;

/// <summary>Why a line was not turned into a message. Each becomes a <c>reason</c> label and a dead-letter reason.</summary>
public enum Rejection
{
    None,
    Malformed,
    Truncated,
    Emptied,
    SdIdMismatch,
    FingerprintMissing,
    FingerprintMismatch,
    DuplicateParam,
    MissingRequired,
    InvalidInteger,
    InvalidNumber,
    InvalidTimestamp,
}

public static class RejectionLabels
{
    private static readonly string[] Labels =
    [
        "none", "malformed", "truncated", "emptied", "sd_id_mismatch", "fingerprint_missing", "fingerprint_mismatch",
        "duplicate_param", "missing_required", "invalid_integer", "invalid_number", "invalid_timestamp",
    ];

    /// <summary>The Prometheus label value; fixed strings so counting a rejection allocates nothing.</summary>
    public static string Label(this Rejection rejection) => Labels[(int)rejection];

    public static IReadOnlyList<Rejection> All { get; } = Enum.GetValues<Rejection>().Where(r => r != Rejection.None).ToArray();
}
