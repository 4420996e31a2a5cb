using HaproxyKafka.Schema.Diagnostics;

namespace HaproxyKafka.Schema.Model;

/// <summary>One structured-data parameter of the log line and the JSON property it becomes.</summary>
public sealed record FieldSpec(
    string SdParam,
    string JsonKey,
    FieldSource Source,
    FieldType Type,
    FieldTransform Transform,
    bool Required,
    AbsentValue Absent,
    int? MaxLength,
    SourceLocation Location);

public enum FieldType
{
    String,
    Integer,
    Number,
    Timestamp,
}

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

/// <summary>What an optional field becomes in JSON when HAProxy wrote <c>-</c> (absent or empty).</summary>
public enum AbsentValue
{
    Null,
    Omit,
    Zero,
    Empty,
    Dash,
}

/// <summary>A JSON property the forwarder adds from its own configuration.</summary>
public sealed record AddedField(string JsonKey, AddedFrom From, string? Value, SourceLocation Location);

public enum AddedFrom
{
    /// <summary>The forwarder's configured host name (HAProxy logs none: RFC 5424 HOSTNAME is <c>-</c>).</summary>
    Hostname,

    /// <summary>The key of the kafka cluster whose topic the forwarder produces to (text, upload).</summary>
    Cluster,

    Constant,
}
