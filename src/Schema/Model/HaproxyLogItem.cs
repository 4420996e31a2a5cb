using System.Collections.Frozen;

namespace HaproxyKafka.Schema.Model;

/// <summary>How HAProxy escapes an item when the log-format flag E is on, which bounds how much it can grow.</summary>
public enum ItemEscaping
{
    /// <summary>Digits and fixed formats: nothing to escape.</summary>
    None,

    /// <summary>Sample output: <c>"</c>, <c>\</c>, <c>]</c> get a backslash, so at most twice the raw size.</summary>
    Backslash,

    /// <summary>Request-line parts: bytes outside printable ASCII become <c>#XX</c>, so at most three times.</summary>
    UriHash,
}

/// <summary>
/// A HAProxy log-format item the schema may name. <see cref="MaxLength"/> is the longest raw value
/// (<c>null</c> for request-line parts, which share <c>tune.http.logurilen</c>).
/// </summary>
public sealed record HaproxyLogItem(string Code, bool Numeric, int? MaxLength, ItemEscaping Escaping, string Meaning)
{
    /// <summary>Request-line parts that are disjoint slices of the same logged URI buffer.</summary>
    public bool IsDisjointUriPart => Code is "%HM" or "%HPO" or "%HQ" or "%HV";

    public bool IsUriPart => MaxLength is null;

    public static FrozenDictionary<string, HaproxyLogItem> Known { get; } = new HaproxyLogItem[]
    {
        new("%pid", true, 10, ItemEscaping.None, "worker process id"),
        new("%ci", false, 45, ItemEscaping.None, "client IP"),
        new("%cp", true, 5, ItemEscaping.None, "client port"),
        new("%fi", false, 45, ItemEscaping.None, "frontend IP"),
        new("%fp", true, 5, ItemEscaping.None, "frontend port"),
        new("%bi", false, 45, ItemEscaping.None, "backend source IP"),
        new("%bp", true, 5, ItemEscaping.None, "backend source port"),
        new("%si", false, 45, ItemEscaping.None, "server IP"),
        new("%sp", true, 5, ItemEscaping.None, "server port"),
        new("%rt", true, 10, ItemEscaping.None, "per-process request counter"),
        new("%tr", false, 24, ItemEscaping.None, "request date, local time"),
        new("%trg", false, 24, ItemEscaping.None, "request date, GMT"),
        new("%trl", false, 30, ItemEscaping.None, "request date, local time with zone"),
        new("%TR", true, 11, ItemEscaping.None, "ms to receive the request headers"),
        new("%Tw", true, 11, ItemEscaping.None, "ms waiting in queues"),
        new("%Tc", true, 11, ItemEscaping.None, "ms to connect to the server"),
        new("%Tr", true, 11, ItemEscaping.None, "ms until the server's response headers"),
        new("%Ta", true, 11, ItemEscaping.None, "ms the request was active"),
        new("%Tt", true, 11, ItemEscaping.None, "ms total session time"),
        new("%Th", true, 11, ItemEscaping.None, "ms of handshake"),
        new("%Ti", true, 11, ItemEscaping.None, "ms idle before the request"),
        new("%ST", true, 3, ItemEscaping.None, "HTTP status"),
        new("%B", true, 20, ItemEscaping.None, "bytes sent to the client"),
        new("%U", true, 20, ItemEscaping.None, "bytes received from the client"),
        new("%ts", false, 2, ItemEscaping.None, "termination state"),
        new("%tsc", false, 4, ItemEscaping.None, "termination state with cookie status"),
        new("%ac", true, 10, ItemEscaping.None, "active connections on the process"),
        new("%fc", true, 10, ItemEscaping.None, "active connections on the frontend"),
        new("%bc", true, 10, ItemEscaping.None, "active connections on the backend"),
        new("%sc", true, 10, ItemEscaping.None, "active connections on the server"),
        new("%rc", true, 10, ItemEscaping.None, "retries"),
        new("%sq", true, 10, ItemEscaping.None, "server queue"),
        new("%bq", true, 10, ItemEscaping.None, "backend queue"),
        new("%f", false, 64, ItemEscaping.Backslash, "frontend name"),
        new("%b", false, 64, ItemEscaping.Backslash, "backend name"),
        new("%s", false, 64, ItemEscaping.Backslash, "server name"),
        new("%H", false, 64, ItemEscaping.Backslash, "host name of the HAProxy machine"),
        new("%ID", false, 128, ItemEscaping.Backslash, "unique id"),
        new("%HM", false, null, ItemEscaping.UriHash, "HTTP method"),
        new("%HPO", false, null, ItemEscaping.UriHash, "HTTP path without query"),
        new("%HP", false, null, ItemEscaping.UriHash, "HTTP path with query"),
        new("%HQ", false, null, ItemEscaping.UriHash, "HTTP query with its leading ?"),
        new("%HU", false, null, ItemEscaping.UriHash, "HTTP URI"),
        new("%HV", false, null, ItemEscaping.UriHash, "HTTP version"),
        new("%r", false, null, ItemEscaping.UriHash, "full request line"),
    }.ToFrozenDictionary(i => i.Code, StringComparer.Ordinal);
}
