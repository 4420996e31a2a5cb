namespace HaproxyKafka.Contract;

public enum FieldTransform
{
    None,

    /// <summary>Milliseconds (HAProxy timers) to seconds as a JSON number.</summary>
    MsToSeconds,

    /// <summary>HAProxy's local <c>dd/Mon/yyyy:HH:MM:SS.mmm</c> to UTC <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
    HaproxyDateToUtc,

    /// <summary>An empty or absent path becomes <c>/</c>.</summary>
    EmptyToSlash,
}
