namespace HaproxyKafka.Decoder.Mapping;

/// <summary>Numbers are copied from the line as text after a syntax check, so no value is ever rounded on the way.</summary>
public static class JsonNumber
{
    public static bool IsInteger(ReadOnlySpan<byte> text)
    {
        var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        return digits.Length is > 0 and <= 20 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9') &&
               (digits.Length == 1 || digits[0] != (byte)'0');
    }

    /// <summary>JSON's number grammar: <c>-?int(.digits)?([eE][+-]?digits)?</c>.</summary>
    public static bool IsNumber(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == (byte)'-')
        {
            i++;
        }

        var intStart = i;
        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            i++;
        }

        if (i == intStart || (i - intStart > 1 && text[intStart] == (byte)'0'))
        {
            return false;
        }

        if (i < text.Length && text[i] == (byte)'.')
        {
            var fraction = ++i;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                i++;
            }

            if (i == fraction)
            {
                return false;
            }
        }

        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < text.Length && text[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var exponent = i;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                i++;
            }

            if (i == exponent)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    /// <summary>
    /// Writes integer milliseconds as seconds by moving the decimal point (<c>1500</c> -> <c>1.5</c>, <c>-1</c> -> <c>-0.001</c>):
    /// exact, unlike dividing a double.
    /// </summary>
    public static bool TryWriteMillisecondsAsSeconds(JsonBuffer output, ReadOnlySpan<byte> ms)
    {
        if (!IsInteger(ms))
        {
            return false;
        }

        var negative = ms[0] == (byte)'-';
        var digits = negative ? ms[1..] : ms;
        Span<byte> padded = stackalloc byte[24];
        var pad = Math.Max(0, 4 - digits.Length);
        padded[..pad].Fill((byte)'0');
        digits.CopyTo(padded[pad..]);
        var all = padded[..(pad + digits.Length)];
        var whole = all[..^3];
        var fraction = all[^3..].TrimEnd((byte)'0');
        if (negative && (whole.IndexOfAnyExcept((byte)'0') >= 0 || fraction.Length > 0))
        {
            output.Write((byte)'-');
        }

        output.Write(whole);
        if (fraction.Length > 0)
        {
            output.Write((byte)'.');
            output.Write(fraction);
        }

        return true;
    }
}
