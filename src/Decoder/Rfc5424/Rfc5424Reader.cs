namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>
/// Reads the RFC 5424 framing of a datagram (<c>&lt;PRI&gt;1 TIMESTAMP HOST APP PROCID MSGID SD MSG</c>) over a span,
/// without allocating and without throwing: every outcome is a <see cref="DatagramShape"/>. The forwarder's hot path
/// and the conformance checker both read lines through this type, so they cannot disagree about a line.
/// </summary>
public static class Rfc5424Reader
{
    private const byte Space = (byte)' ';

    public static DatagramShape Read(ReadOnlySpan<byte> datagram, out Rfc5424Header header)
    {
        header = default;
        var data = TrimLineEnd(datagram);
        var at = 0;
        if (!ReadPriority(data, ref at, out header.Priority) || !Expect(data, ref at, "1 "u8))
        {
            return DatagramShape.Malformed;
        }

        if (!Token(data, ref at, out header.Timestamp) || !Token(data, ref at, out header.Hostname) ||
            !Token(data, ref at, out header.AppName) || !Token(data, ref at, out header.ProcId) ||
            !Token(data, ref at, out header.MsgId))
        {
            return DatagramShape.Malformed;
        }

        if (at >= data.Length)
        {
            // Nothing after MSGID is what HAProxy 2.6 writes when the SD does not fit the logger's len: it keeps the
            // header and drops SD and MSG ("<134>1 TS - haproxy PID - \n", seen with check --live at len 600).
            return DatagramShape.Emptied;
        }

        var sdStart = at;
        if (data[at] == (byte)'-')
        {
            at++;
            header.StructuredData = new Segment(sdStart, 0);
            header.Message = MessageAfter(data, at);
            if (at < data.Length && data[at] != Space)
            {
                return DatagramShape.Malformed;
            }

            return header.Message.Length == 0 ? DatagramShape.Emptied : DatagramShape.NoStructuredData;
        }

        while (at < data.Length && data[at] == (byte)'[')
        {
            var shape = SkipElement(data, ref at);
            if (shape != DatagramShape.Structured)
            {
                return shape;
            }
        }

        if (at == sdStart || (at < data.Length && data[at] != Space))
        {
            return DatagramShape.Malformed;
        }

        header.StructuredData = new Segment(sdStart, at - sdStart);
        header.Message = MessageAfter(data, at);
        return DatagramShape.Structured;
    }

    /// <summary>
    /// The parameters of the element named <paramref name="sdId"/> (from after the ID to before <c>]</c>), or
    /// <c>false</c> when the datagram carries no such element.
    /// </summary>
    public static bool TryFindElement(ReadOnlySpan<byte> datagram, in Rfc5424Header header, ReadOnlySpan<byte> sdId, out Segment parameters)
    {
        var at = header.StructuredData.Start;
        var end = header.StructuredData.End;
        while (at < end)
        {
            var idStart = at + 1;
            var idLength = datagram[idStart..end].IndexOfAny(Space, (byte)']');
            var elementStart = at;
            SkipElement(datagram[..end], ref at);
            if (datagram.Slice(idStart, idLength).SequenceEqual(sdId))
            {
                var paramsStart = idStart + idLength;
                parameters = new Segment(paramsStart, at - 1 - paramsStart);
                return true;
            }

            if (at <= elementStart)
            {
                break;
            }
        }

        parameters = Segment.Empty;
        return false;
    }

    /// <summary>The SD-ID of the first element, for dead-letter reasons when the expected one is missing.</summary>
    public static Segment FirstElementId(ReadOnlySpan<byte> datagram, in Rfc5424Header header)
    {
        if (header.StructuredData.Length == 0)
        {
            return Segment.Empty;
        }

        var start = header.StructuredData.Start + 1;
        var length = datagram[start..header.StructuredData.End].IndexOfAny(Space, (byte)']');
        return new Segment(start, Math.Max(length, 0));
    }

    private static ReadOnlySpan<byte> TrimLineEnd(ReadOnlySpan<byte> datagram)
    {
        var end = datagram.Length;
        while (end > 0 && (datagram[end - 1] == (byte)'\n' || datagram[end - 1] == 0))
        {
            end--;
        }

        return datagram[..end];
    }

    private static bool ReadPriority(ReadOnlySpan<byte> data, ref int at, out int priority)
    {
        priority = 0;
        if (data.Length < 3 || data[0] != (byte)'<')
        {
            return false;
        }

        var i = 1;
        while (i < data.Length && i <= 4 && (uint)(data[i] - '0') <= 9)
        {
            priority = (priority * 10) + (data[i] - '0');
            i++;
        }

        if (i == 1 || i > 4 || i >= data.Length || data[i] != (byte)'>' || priority > 191)
        {
            return false;
        }

        at = i + 1;
        return true;
    }

    private static bool Expect(ReadOnlySpan<byte> data, ref int at, ReadOnlySpan<byte> literal)
    {
        if (!data[at..].StartsWith(literal))
        {
            return false;
        }

        at += literal.Length;
        return true;
    }

    private static bool Token(ReadOnlySpan<byte> data, ref int at, out Segment token)
    {
        var length = data[at..].IndexOf(Space);
        if (length <= 0)
        {
            token = Segment.Empty;
            return false;
        }

        token = new Segment(at, length);
        at += length + 1;
        return true;
    }

    private static Segment MessageAfter(ReadOnlySpan<byte> data, int at) =>
        at + 1 < data.Length ? new Segment(at + 1, data.Length - at - 1) : new Segment(data.Length, 0);

    /// <summary>Moves past one <c>[ID name="value"...]</c>, honouring <c>\"</c>, <c>\\</c> and <c>\]</c> in values.</summary>
    private static DatagramShape SkipElement(ReadOnlySpan<byte> data, ref int at)
    {
        var i = at + 1;
        var idLength = data[i..].IndexOfAny(Space, (byte)']');
        if (idLength < 0)
        {
            return DatagramShape.Truncated;
        }

        if (idLength == 0)
        {
            return DatagramShape.Malformed;
        }

        i += idLength;
        while (i < data.Length && data[i] == Space)
        {
            var eq = data[(i + 1)..].IndexOf((byte)'=');
            if (eq < 0)
            {
                return DatagramShape.Truncated;
            }

            i += 1 + eq + 1;
            if (i >= data.Length)
            {
                return DatagramShape.Truncated;
            }

            if (data[i] != (byte)'"')
            {
                return DatagramShape.Malformed;
            }

            i++;
            var closed = false;
            while (i < data.Length)
            {
                var b = data[i];
                if (b == (byte)'\\')
                {
                    i += 2;
                    continue;
                }

                i++;
                if (b == (byte)'"')
                {
                    closed = true;
                    break;
                }
            }

            if (!closed)
            {
                return DatagramShape.Truncated;
            }
        }

        if (i >= data.Length)
        {
            return DatagramShape.Truncated;
        }

        if (data[i] != (byte)']')
        {
            return DatagramShape.Malformed;
        }

        at = i + 1;
        return DatagramShape.Structured;
    }
}
