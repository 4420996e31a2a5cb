namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>RFC 5424 PARAM-VALUE escaping: only <c>\"</c>, <c>\\</c> and <c>\]</c> are escapes; any other backslash is literal.</summary>
public static class SdValue
{
    public static bool IsEscape(ReadOnlySpan<byte> raw, int at) =>
        raw[at] == (byte)'\\' && at + 1 < raw.Length && raw[at + 1] is (byte)'"' or (byte)'\\' or (byte)']';

    /// <summary>Unescapes into <paramref name="destination"/> (at least <c>raw.Length</c> long); returns the length.</summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (IsEscape(raw, i))
            {
                i++;
            }

            destination[written++] = raw[i];
        }

        return written;
    }

    /// <summary>Whether the escaped <paramref name="raw"/> value equals the plain <paramref name="expected"/>.</summary>
    public static bool EqualsUnescaped(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> expected)
    {
        var j = 0;
        for (var i = 0; i < raw.Length; i++, j++)
        {
            if (IsEscape(raw, i))
            {
                i++;
            }

            if (j >= expected.Length || raw[i] != expected[j])
            {
                return false;
            }
        }

        return j == expected.Length;
    }
}
