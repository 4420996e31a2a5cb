namespace HaproxyKafka.Decoder.Mapping;

/// <summary>What a received line turned out to be; the forwarder counts lines by kind.</summary>
public enum LineKind
{
    /// <summary>A request line carrying the configured SD element.</summary>
    Request,

    /// <summary>No structured data: HAProxy start/stop notices, SSL handshake failures, server alerts.</summary>
    Notice,

    /// <summary>SD and MSG dropped by HAProxy because the SD did not fit the logger's <c>len</c>.</summary>
    Emptied,

    /// <summary>Cut inside the structured data.</summary>
    Truncated,

    /// <summary>Not RFC 5424.</summary>
    Malformed,

    /// <summary>Structured data, but not the configured SD-ID (another schema or application on the socket).</summary>
    ForeignSd,
}
