namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>
/// The parts of an RFC 5424 datagram in the order <see cref="Rfc5424Reader"/> reads them; with its position, says
/// where a malformed or truncated datagram went wrong.
/// </summary>
public enum Rfc5424Part
{
    /// <summary>No fault.</summary>
    None,

    /// <summary><c>&lt;PRI&gt;</c>: one to three digits, at most 191.</summary>
    Priority,

    /// <summary>The version, <c>1</c>, and its space.</summary>
    Version,

    // Timestamp to MsgId are the five space-terminated header fields, read in this order.
    Timestamp,
    Hostname,
    AppName,
    ProcId,
    MsgId,

    /// <summary>The first byte of the SD: <c>-</c> or <c>[</c>.</summary>
    StructuredData,

    /// <summary>An element's SD-ID, ended by a space or <c>]</c>.</summary>
    ElementId,

    /// <summary>A param's <c> name=</c>, or the <c>]</c> that ends the element.</summary>
    ParamName,

    /// <summary>A param's quoted value.</summary>
    ParamValue,

    /// <summary>The space between the SD and the MSG.</summary>
    Message,
}
