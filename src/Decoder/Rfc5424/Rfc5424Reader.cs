using System.Buffers;

namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>
/// The one RFC 5424 reader: a forward-only cursor over a datagram (<c>&lt;PRI&gt;1 TIMESTAMP HOST APP PROCID MSGID SD MSG</c>)
/// that validates while it tokenizes, as <c>Utf8JsonReader</c> does. <see cref="ReadHeader"/>, then
/// <see cref="NextElement"/> and <see cref="NextParam"/> walk the structured data once; values are handed out still
/// escaped. It allocates nothing and throws nothing: every outcome is a <see cref="DatagramShape"/>. The forwarder's
/// <c>LineMapper</c> and the conformance checker (through <see cref="DecodedDatagram"/>) read lines with this type only.
/// </summary>
public ref struct Rfc5424Reader
{
    private const byte Space = (byte)' ';
    private const byte Quote = (byte)'"';
    private const byte Backslash = (byte)'\\';
    private const byte ElementOpen = (byte)'[';
    private const byte ElementClose = (byte)']';

    // An SD-ID or a param name ends at the first of these; which one it must be is checked where it is read.
    internal static readonly SearchValues<byte> NameEnd = SearchValues.Create(" =]\""u8);

    private readonly ReadOnlySpan<byte> _data;
    private int _at;
    private Walk _walk;

    public Rfc5424Reader(ReadOnlySpan<byte> datagram)
    {
        _data = TrimLineEnd(datagram);
    }

    private enum Walk
    {
        Header,
        BetweenElements,
        InElement,
        Done,
    }

    /// <summary>
    /// <see cref="DatagramShape.Structured"/> from a successful <see cref="ReadHeader"/> until the walk meets a fault;
    /// final once a read method has returned <c>false</c> at the end of the structured data or on a fault.
    /// </summary>
    public DatagramShape Shape { get; private set; }

    /// <summary>Bytes consumed; after a fault, the byte offset in the datagram where the reader stopped.</summary>
    public readonly int Position => _at;

    /// <summary>The part that could not be read, when <see cref="Shape"/> is malformed or truncated.</summary>
    public Rfc5424Part Fault { get; private set; }

    /// <summary>The SD-ID of the element <see cref="NextElement"/> moved to.</summary>
    public Segment ElementId { get; private set; }

    /// <summary>The name of the param <see cref="NextParam"/> moved to.</summary>
    public Segment ParamName { get; private set; }

    /// <summary>The value between the quotes of the param <see cref="NextParam"/> moved to, still RFC 5424-escaped.</summary>
    public Segment ParamValue { get; private set; }

    /// <summary>
    /// Whether the value of the param <see cref="NextParam"/> moved to is printable ASCII (0x20-0x7E) without a quote
    /// or a backslash: no RFC 5424 escape, no control byte, nothing but ASCII.
    /// </summary>
    public bool ParamValueIsPlainAscii { get; private set; }

    /// <summary>The MSG once the structured data has been read to its end (empty when there is none).</summary>
    public Segment Message { get; private set; }

    /// <summary>
    /// Reads PRI, version and the five header fields. <c>true</c> when structured data elements follow; <c>false</c>
    /// when there are none to walk, with <see cref="Shape"/> malformed, emptied or no-structured-data.
    /// </summary>
    public bool ReadHeader()
    {
        if (!SkipPriority())
        {
            return Fail(DatagramShape.Malformed, Rfc5424Part.Priority, _at);
        }

        if (!_data[_at..].StartsWith("1 "u8))
        {
            return Fail(DatagramShape.Malformed, Rfc5424Part.Version, _at);
        }

        _at += 2;
        for (var part = Rfc5424Part.Timestamp; part <= Rfc5424Part.MsgId; part++)
        {
            // Each header field is NILVALUE or at least one byte, then one space: an empty field is malformed.
            var length = _data[_at..].IndexOf(Space);
            if (length <= 0)
            {
                return Fail(DatagramShape.Malformed, part, length < 0 ? _data.Length : _at);
            }

            _at += length + 1;
        }

        _walk = Walk.Done;
        if (_at >= _data.Length)
        {
            // Nothing after MSGID is what HAProxy 2.6 writes when the SD does not fit the logger's len: it keeps the
            // header and drops SD and MSG ("<134>1 TS - haproxy PID - \n", seen with check --live at len 600).
            Message = new Segment(_data.Length, 0);
            Shape = DatagramShape.Emptied;
            return false;
        }

        if (_data[_at] == (byte)'-')
        {
            _at++;
            if (_at < _data.Length && _data[_at] != Space)
            {
                return Fail(DatagramShape.Malformed, Rfc5424Part.Message, _at);
            }

            Message = MessageAfter(_at);
            Shape = Message.Length == 0 ? DatagramShape.Emptied : DatagramShape.NoStructuredData;
            return false;
        }

        if (_data[_at] != ElementOpen)
        {
            return Fail(DatagramShape.Malformed, Rfc5424Part.StructuredData, _at);
        }

        _walk = Walk.BetweenElements;
        Shape = DatagramShape.Structured;
        return true;
    }

    /// <summary>
    /// Moves to the next SD element, first reading past what is left of the current one (so skipped elements are
    /// validated too). <c>false</c> at the end of the structured data (<see cref="Message"/> is then set) or on a fault.
    /// </summary>
    public bool NextElement()
    {
        while (_walk == Walk.InElement && NextParam())
        {
        }

        if (_walk != Walk.BetweenElements)
        {
            return false;
        }

        if (_at < _data.Length && _data[_at] == ElementOpen)
        {
            var start = _at + 1;
            var length = _data[start..].IndexOfAny(NameEnd);
            if (length < 0)
            {
                return Fail(DatagramShape.Truncated, Rfc5424Part.ElementId, _data.Length);
            }

            if (length == 0 || _data[start + length] is not (Space or ElementClose))
            {
                return Fail(DatagramShape.Malformed, Rfc5424Part.ElementId, start + length);
            }

            ElementId = new Segment(start, length);
            _at = start + length;
            _walk = Walk.InElement;
            return true;
        }

        if (_at < _data.Length && _data[_at] != Space)
        {
            return Fail(DatagramShape.Malformed, Rfc5424Part.Message, _at);
        }

        Message = MessageAfter(_at);
        _walk = Walk.Done;
        return false;
    }

    /// <summary>
    /// Moves to the next <c>name="value"</c> of the current element. <c>false</c> at its <c>]</c> or on a fault.
    /// In a value a backslash and the byte after it are stepped over together, so <c>\"</c> does not end it; whether
    /// a backslash is an escape at all (only <c>\"</c> <c>\\</c> <c>\]</c> are) is <see cref="SdValue"/>'s to say.
    /// </summary>
    public bool NextParam() => NextParam(null, out _);

    /// <summary>
    /// <see cref="NextParam()"/> for a caller that knows which name most likely comes next (HAProxy writes the params
    /// in its config's order): when the datagram holds <paramref name="expectedName"/> there, the name is taken by one
    /// comparison instead of a scan, and <paramref name="isExpected"/> says so. Any other name is read as usual;
    /// either way the outcome is the one <see cref="NextParam()"/> gives.
    /// </summary>
    public bool NextParam(ExpectedName? expectedName, out bool isExpected)
    {
        isExpected = false;
        if (_walk != Walk.InElement)
        {
            return false;
        }

        if (_at >= _data.Length)
        {
            return Fail(DatagramShape.Truncated, Rfc5424Part.ParamName, _data.Length);
        }

        if (_data[_at] == ElementClose)
        {
            _at++;
            _walk = Walk.BetweenElements;
            return false;
        }

        if (_data[_at] != Space)
        {
            return Fail(DatagramShape.Malformed, Rfc5424Part.ParamName, _at);
        }

        var nameStart = _at + 1;
        var rest = _data[nameStart..];
        if (expectedName is not null)
        {
            // The general scan would stop at the '=' right after the name too: the name holds none of NameEnd.
            var expected = expectedName.Bytes;
            if (rest.Length > expected.Length && rest[expected.Length] == (byte)'=' && rest.StartsWith(expected))
            {
                isExpected = true;
                return ReadValue(nameStart, expected.Length);
            }
        }

        var nameLength = rest.IndexOfAny(NameEnd);
        if (nameLength < 0)
        {
            return Fail(DatagramShape.Truncated, Rfc5424Part.ParamName, _data.Length);
        }

        if (nameLength == 0 || _data[nameStart + nameLength] != (byte)'=')
        {
            return Fail(DatagramShape.Malformed, Rfc5424Part.ParamName, nameStart + nameLength);
        }

        return ReadValue(nameStart, nameLength);
    }

    /// <summary>Reads the quoted value after <c>name=</c>, the name already checked.</summary>
    private bool ReadValue(int nameStart, int nameLength)
    {
        var quote = nameStart + nameLength + 1;
        if (quote >= _data.Length)
        {
            return Fail(DatagramShape.Truncated, Rfc5424Part.ParamValue, _data.Length);
        }

        if (_data[quote] != Quote)
        {
            return Fail(DatagramShape.Malformed, Rfc5424Part.ParamValue, quote);
        }

        var valueStart = quote + 1;
        var end = PlainAscii.IndexOfNotPlain(_data[valueStart..]);
        if (end < 0)
        {
            return Fail(DatagramShape.Truncated, Rfc5424Part.ParamValue, _data.Length);
        }

        var i = valueStart + end;
        var plain = _data[i] == Quote;
        while (_data[i] != Quote)
        {
            // A backslash and the byte after it are stepped over together; from here on only those two bytes matter.
            i += _data[i] == Backslash ? 2 : 1;
            var next = i < _data.Length ? _data[i..].IndexOfAny(Quote, Backslash) : -1;
            if (next < 0)
            {
                return Fail(DatagramShape.Truncated, Rfc5424Part.ParamValue, _data.Length);
            }

            i += next;
        }

        ParamName = new Segment(nameStart, nameLength);
        ParamValue = new Segment(valueStart, i - valueStart);
        ParamValueIsPlainAscii = plain;
        _at = i + 1;
        return true;
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

    /// <summary>Moves past <c>&lt;PRI&gt;</c>: one to three digits, at most 191 (facility 23, severity 7).</summary>
    private bool SkipPriority()
    {
        if (_data.Length < 3 || _data[0] != (byte)'<')
        {
            return false;
        }

        var priority = 0;
        var i = 1;
        while (i < _data.Length && i <= 4 && (uint)(_data[i] - '0') <= 9)
        {
            priority = (priority * 10) + (_data[i] - '0');
            i++;
        }

        if (i == 1 || i > 4 || i >= _data.Length || _data[i] != (byte)'>' || priority > 191)
        {
            _at = Math.Min(i, _data.Length);
            return false;
        }

        _at = i + 1;
        return true;
    }

    private readonly Segment MessageAfter(int at) =>
        at + 1 < _data.Length ? new Segment(at + 1, _data.Length - at - 1) : new Segment(_data.Length, 0);

    private bool Fail(DatagramShape shape, Rfc5424Part part, int at)
    {
        Shape = shape;
        Fault = part;
        _at = at;
        _walk = Walk.Done;
        return false;
    }
}
