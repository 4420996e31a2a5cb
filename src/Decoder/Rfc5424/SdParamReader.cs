namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>
/// Walks the <c>name="value"</c> pairs of one SD element found by <see cref="Rfc5424Reader.TryFindElement"/>.
/// Values stay escaped (<see cref="ValueHasEscapes"/> says whether unescaping is needed), so reading allocates nothing.
/// </summary>
public ref struct SdParamReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private readonly int _end;
    private int _at;

    public SdParamReader(ReadOnlySpan<byte> datagram, Segment parameters)
    {
        _datagram = datagram;
        _at = parameters.Start;
        _end = parameters.End;
    }

    public Segment Name { get; private set; }

    /// <summary>The value between the quotes, still RFC 5424-escaped.</summary>
    public Segment Value { get; private set; }

    public bool ValueHasEscapes { get; private set; }

    /// <summary>Moves to the next pair; <c>false</c> at the end. The element was validated by the reader already.</summary>
    public bool MoveNext()
    {
        var data = _datagram[.._end];
        if (_at >= _end || data[_at] != (byte)' ')
        {
            return false;
        }

        var nameStart = _at + 1;
        var eq = data[nameStart..].IndexOf((byte)'=');
        if (eq < 0 || nameStart + eq + 1 >= _end)
        {
            return false;
        }

        Name = new Segment(nameStart, eq);
        var i = nameStart + eq + 2;
        var valueStart = i;
        var escapes = false;
        while (i < _end)
        {
            var b = data[i];
            if (b == (byte)'\\')
            {
                escapes = true;
                i += 2;
                continue;
            }

            if (b == (byte)'"')
            {
                break;
            }

            i++;
        }

        var valueEnd = Math.Min(i, _end);
        Value = new Segment(valueStart, valueEnd - valueStart);
        ValueHasEscapes = escapes;
        _at = valueEnd + 1;
        return true;
    }
}
