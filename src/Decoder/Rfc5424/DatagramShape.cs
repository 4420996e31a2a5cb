namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>What an RFC 5424 datagram looks like structurally, before any schema is applied.</summary>
public enum DatagramShape
{
    /// <summary>Header and at least one complete SD element.</summary>
    Structured,

    /// <summary>SD is <c>-</c> and a MSG follows: HAProxy notices, SSL handshake failures, alerts.</summary>
    NoStructuredData,

    /// <summary>SD is <c>-</c> and MSG is empty: what HAProxy sends when the SD did not fit the logger's <c>len</c>.</summary>
    Emptied,

    /// <summary>The datagram ends inside the structured data: cut by <c>len</c> or by the sender.</summary>
    Truncated,

    /// <summary>Not RFC 5424 (no header, bad PRI, broken SD syntax).</summary>
    Malformed,
}
