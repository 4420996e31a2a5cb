using System.Buffers;
using System.Text;
using HaproxyKafka.Decoder.Rfc5424;

namespace HaproxyKafka.Decoder.Mapping;

/// <summary>
/// The JSON string encoder for values taken from log lines. A deliberate, pinned policy (see docs/forwarder.md):
/// <list type="bullet">
/// <item>valid UTF-8 is copied as is (no <c>\u</c> escaping of non-ASCII: smaller, and Hive's SerDe reads it);</item>
/// <item><c>"</c> and <c>\</c> are escaped; control bytes become <c>\b \f \n \r \t</c> or <c>\u00XX</c>, DEL becomes <c>\u007f</c>;</item>
/// <item>each invalid UTF-8 sequence (maximal subpart, as WHATWG decoders do) becomes U+FFFD, so the JSON is always valid
///   UTF-8 and the line still reaches Kafka; the line is counted as sanitised.</item>
/// </list>
/// RFC 5424 escapes (<c>\"</c> <c>\\</c> <c>\]</c>) in the input are undone on the way.
/// </summary>
public static class JsonText
{
    private static readonly SearchValues<byte> Plain = SearchValues.Create(PlainBytes());
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;
    private static ReadOnlySpan<byte> Replacement => "\uFFFD"u8;

    /// <summary>Writes <paramref name="raw"/> (an SD value, still escaped) as a quoted JSON string; returns whether bytes were replaced.</summary>
    public static bool WriteSdValue(JsonBuffer output, ReadOnlySpan<byte> raw)
    {
        output.Write((byte)'"');
        var sanitized = false;
        var i = 0;
        while (i < raw.Length)
        {
            var run = raw[i..].IndexOfAnyExcept(Plain);
            if (run < 0)
            {
                output.Write(raw[i..]);
                break;
            }

            output.Write(raw.Slice(i, run));
            i += run;
            var b = raw[i];
            if (b == (byte)'\\')
            {
                if (SdValue.IsEscape(raw, i))
                {
                    i++;
                    b = raw[i];
                }

                WriteEscapedAscii(output, b);
                i++;
            }
            else if (b < 0x80)
            {
                WriteEscapedAscii(output, b);
                i++;
            }
            else
            {
                var status = Rune.DecodeFromUtf8(raw[i..], out _, out var consumed);
                if (status == OperationStatus.Done)
                {
                    output.Write(raw.Slice(i, consumed));
                }
                else
                {
                    output.Write(Replacement);
                    sanitized = true;
                }

                i += consumed;
            }
        }

        output.Write((byte)'"');
        return sanitized;
    }

    /// <summary>
    /// Writes the first <paramref name="length"/> bytes of <paramref name="source"/>, a value
    /// <see cref="Rfc5424Reader.ParamValueIsPlainAscii"/> vouched for: printable ASCII with no quote and no backslash
    /// is its own JSON string, so it is copied between quotes without a second scan. The bytes after it in
    /// <paramref name="source"/> let a short value go in one vector copy (<see cref="JsonBuffer.WriteShort"/>).
    /// </summary>
    public static void WritePlainAscii(JsonBuffer output, ReadOnlySpan<byte> source, int length)
    {
        output.Write((byte)'"');
        output.WriteShort(source, length);
        output.Write((byte)'"');
    }

    /// <summary>
    /// <paramref name="value"/> as a quoted JSON string, for text fixed at start-up (added properties, property names):
    /// escaped the same way as a value from a line.
    /// </summary>
    public static byte[] Quoted(string value)
    {
        var buffer = new JsonBuffer(64);
        WriteSdValue(buffer, Encoding.UTF8.GetBytes(value));
        return buffer.Written.ToArray();
    }

    /// <summary><c>"name":</c>, encoded once per field.</summary>
    public static byte[] PropertyName(string json) => [.. Quoted(json), (byte)':'];

    private static void WriteEscapedAscii(JsonBuffer output, byte b)
    {
        switch (b)
        {
            case (byte)'"':
                output.Write("\\\""u8);
                return;
            case (byte)'\\':
                output.Write("\\\\"u8);
                return;
            case (byte)'\n':
                output.Write("\\n"u8);
                return;
            case (byte)'\r':
                output.Write("\\r"u8);
                return;
            case (byte)'\t':
                output.Write("\\t"u8);
                return;
            case (byte)'\b':
                output.Write("\\b"u8);
                return;
            case (byte)'\f':
                output.Write("\\f"u8);
                return;
        }

        if (b >= 0x20 && b < 0x7f)
        {
            output.Write(b);
            return;
        }

        var slot = output.Reserve(6);
        "\\u00"u8.CopyTo(slot);
        slot[4] = Hex[b >> 4];
        slot[5] = Hex[b & 0xf];
        output.Advance(6);
    }

    private static byte[] PlainBytes()
    {
        var bytes = new List<byte>();
        for (var b = 0x20; b < 0x7f; b++)
        {
            if (b is not '"' and not '\\')
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
