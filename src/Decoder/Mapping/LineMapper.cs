using System.Text;
using HaproxyKafka.Decoder.Rfc5424;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Decoder.Mapping;

/// <summary>
/// Turns one datagram into one JSON message with a <see cref="ParserTable"/>: decode, check the fingerprint, map each
/// SD param to its JSON property with its type and transform, add configured properties. Property names are encoded
/// once here; per line it allocates nothing. One instance per thread (it keeps per-line scratch state).
/// </summary>
public sealed class LineMapper
{
    private const int NotSeen = -1;

    private readonly CompiledField[] _fields;
    private readonly byte[] _sdId;
    private readonly byte[] _fingerprintParam;
    private readonly byte[][] _fingerprints;
    private readonly byte[][] _added;
    private readonly HaproxyTime _time;
    private readonly TakenValue[] _values;
    private readonly bool _mapWithoutFingerprint;
    private readonly int _terminationField;
    private readonly int _statusField;
    private readonly int _firstByteField;

    /// <param name="mapWithoutFingerprint">
    /// Drop-in migration: map lines that carry no fingerprint param by their param names, as long as HAProxy's config
    /// predates the generated one. Lines with a different fingerprint are still never mapped.
    /// </param>
    public LineMapper(ParserTable table, string hostname, string? cluster, TimeZoneInfo zone, IEnumerable<string>? extraFingerprints = null, bool mapWithoutFingerprint = false)
    {
        _mapWithoutFingerprint = mapWithoutFingerprint;
        Table = table;
        _fields = [.. table.Fields.Select(f => new CompiledField(f))];
        _sdId = Encoding.UTF8.GetBytes(table.SdId);
        _fingerprintParam = Encoding.UTF8.GetBytes(table.FingerprintParam);
        _fingerprints = [.. new[] { table.Fingerprint }.Concat(extraFingerprints ?? []).Distinct().Select(Encoding.UTF8.GetBytes)];
        // The added properties are the same on every line, so each is encoded once, comma first.
        _added = [.. table.Added.Select(a => (byte[])[(byte)',', .. JsonText.PropertyName(a.Json), .. JsonText.Quoted(a.From switch
        {
            AddedFrom.Hostname => hostname,
            AddedFrom.Cluster => cluster ?? string.Empty,
            _ => a.Value ?? string.Empty,
        })])];
        _time = new HaproxyTime(zone);
        _values = new TakenValue[_fields.Length];
        _terminationField = FieldFrom(table, "%ts");
        _statusField = FieldFrom(table, "%ST");
        _firstByteField = FieldFrom(table, "%Tr");
    }

    public ParserTable Table { get; }

    /// <summary>The SD param name of a field, for rejection reasons.</summary>
    public string FieldName(int index) => index >= 0 && index < _fields.Length ? _fields[index].Spec.Sd : string.Empty;

    public MapResult Map(ReadOnlySpan<byte> datagram, JsonBuffer output)
    {
        output.Reset();
        var reader = new Rfc5424Reader(datagram);
        if (!reader.ReadHeader())
        {
            return reader.Shape switch
            {
                DatagramShape.NoStructuredData => new MapResult(LineKind.Notice, Rejection.None, NotSeen, 0, false),
                DatagramShape.Emptied => Reject(LineKind.Emptied, Rejection.Emptied),
                _ => Reject(LineKind.Malformed, Rejection.Malformed),
            };
        }

        // The one walk over the SD: the params of the first element with the table's SD-ID are taken as they are
        // read; every other element is only validated. A verdict on those params waits until the walk has reached
        // the end, because a datagram cut or broken further on is truncated or malformed, whatever it held before.
        _values.AsSpan().Fill(new TakenValue(new Segment(NotSeen, 0), false));
        TakenParams? element = null;
        while (reader.NextElement())
        {
            if (element is null && reader.ElementId.Of(datagram).SequenceEqual(_sdId))
            {
                element = TakeParams(ref reader, datagram);
            }
        }

        switch (reader.Shape)
        {
            case DatagramShape.Truncated:
                return Reject(LineKind.Truncated, Rejection.Truncated);
            case DatagramShape.Malformed:
                return Reject(LineKind.Malformed, Rejection.Malformed);
        }

        if (element is not { } taken)
        {
            return Reject(LineKind.ForeignSd, Rejection.SdIdMismatch);
        }

        if (taken.Duplicate != NotSeen)
        {
            return Reject(LineKind.Request, Rejection.DuplicateParam, taken.Duplicate);
        }

        // Never map a line with a table it was not produced for: the same names could mean other headers. A line with
        // no fingerprint at all is the one exception, and only when the config asks for it (a drop-in replacement of
        // the previous daemon before HAProxy's config is regenerated): its params are named, so names decide.
        var withoutFingerprint = taken.Fingerprint == Fingerprint.Missing && _mapWithoutFingerprint;
        if (taken.Fingerprint != Fingerprint.Accepted && !withoutFingerprint)
        {
            return Reject(LineKind.Request, taken.Fingerprint == Fingerprint.Missing ? Rejection.FingerprintMissing : Rejection.FingerprintMismatch);
        }

        var result = Write(datagram, output, taken.Unknown);
        return result.IsMessage ? result with { WithoutFingerprint = withoutFingerprint, Slo = Slo(datagram) } : result;
    }

    /// <summary>
    /// Reads the params of the table's element into <see cref="_values"/>. Stops at the first duplicate; the rest of
    /// the element is then left to <see cref="Rfc5424Reader.NextElement"/>, which still validates it.
    /// </summary>
    private TakenParams TakeParams(ref Rfc5424Reader reader, ReadOnlySpan<byte> datagram)
    {
        var taken = new TakenParams(NotSeen, 0, Fingerprint.Missing);
        var next = 0;
        while (reader.NextParam(next < _fields.Length ? _fields[next].Expected : null, out var isExpected))
        {
            var name = reader.ParamName.Of(datagram);
            var index = isExpected ? next : Find(name);
            if (index < 0)
            {
                if (name.SequenceEqual(_fingerprintParam))
                {
                    taken.Fingerprint = IsAccepted(reader.ParamValue.Of(datagram)) ? Fingerprint.Accepted : Fingerprint.Other;
                }
                else
                {
                    taken.Unknown++;
                }

                continue;
            }

            if (_values[index].Segment.Start != NotSeen)
            {
                taken.Duplicate = index;
                break;
            }

            _values[index] = new TakenValue(reader.ParamValue, reader.ParamValueIsPlainAscii);
            next = index + 1;
        }

        return taken;
    }

    private MapResult Write(ReadOnlySpan<byte> datagram, JsonBuffer output, int unknown)
    {
        var sanitized = false;
        var first = true;
        output.Write((byte)'{');
        for (var i = 0; i < _fields.Length; i++)
        {
            var field = _fields[i];
            var taken = _values[i];
            var value = taken.Segment.Start == NotSeen ? default : taken.Segment.Of(datagram);
            if (taken.Segment.Start == NotSeen || value.SequenceEqual("-"u8))
            {
                if (field.Required)
                {
                    return Reject(LineKind.Request, Rejection.MissingRequired, i);
                }

                if (field.AbsentJson is { } absent)
                {
                    WriteName(output, field, first);
                    output.Write(absent);
                    first = false;
                }

                continue;
            }

            WriteName(output, field, first);
            first = false;
            switch (field.Kind)
            {
                case FieldKind.Integer:
                    if (!JsonNumber.IsInteger(value))
                    {
                        return Reject(LineKind.Request, Rejection.InvalidInteger, i);
                    }

                    output.WriteShort(datagram[taken.Segment.Start..], value.Length);
                    break;
                case FieldKind.MillisecondsAsSeconds:
                    if (!JsonNumber.TryWriteMillisecondsAsSeconds(output, value))
                    {
                        return Reject(LineKind.Request, Rejection.InvalidNumber, i);
                    }

                    break;
                case FieldKind.Number:
                    if (!JsonNumber.IsNumber(value))
                    {
                        return Reject(LineKind.Request, Rejection.InvalidNumber, i);
                    }

                    output.Write(value);
                    break;
                case FieldKind.Timestamp:
                    if (!_time.TryWriteUtc(output, value))
                    {
                        return Reject(LineKind.Request, Rejection.InvalidTimestamp, i);
                    }

                    break;
                case FieldKind.String when taken.IsPlainAscii:
                    JsonText.WritePlainAscii(output, datagram[taken.Segment.Start..], value.Length);
                    break;
                default:
                    sanitized |= JsonText.WriteSdValue(output, value);
                    break;
            }
        }

        foreach (var added in _added)
        {
            output.Write(first ? added.AsSpan(1) : added);
            first = false;
        }

        output.Write((byte)'}');
        return new MapResult(LineKind.Request, Rejection.None, NotSeen, unknown, sanitized);
    }

    private static void WriteName(JsonBuffer output, CompiledField field, bool first) =>
        output.WriteShort(field.NameAfterComma.AsSpan(first ? 1 : 0), first ? field.NameLength - 1 : field.NameLength);

    private SloFacts Slo(ReadOnlySpan<byte> datagram) => new(
        SloFacts.Classify(Value(datagram, _terminationField)),
        SloFacts.ClassifyStatus(Value(datagram, _statusField)),
        SloFacts.ParseMilliseconds(Value(datagram, _firstByteField)));

    private ReadOnlySpan<byte> Value(ReadOnlySpan<byte> datagram, int field) =>
        field < 0 || _values[field].Segment.Start == NotSeen ? default : _values[field].Segment.Of(datagram);

    /// <summary>
    /// The field of a param that was not the expected next one (HAProxy writes them in table order, so the reader
    /// is told which one to expect and this scan is the exception).
    /// </summary>
    private int Find(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            if (name.SequenceEqual(_fields[i].SdName))
            {
                return i;
            }
        }

        return -1;
    }

    private bool IsAccepted(ReadOnlySpan<byte> value)
    {
        foreach (var fingerprint in _fingerprints)
        {
            if (SdValue.EqualsUnescaped(value, fingerprint))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The field logging a HAProxy item, or -1 when the schema does not log it.</summary>
    private static int FieldFrom(ParserTable table, string source)
    {
        for (var i = 0; i < table.Fields.Length; i++)
        {
            if (table.Fields[i].Source == source)
            {
                return i;
            }
        }

        return -1;
    }

    private static MapResult Reject(LineKind kind, Rejection rejection, int field = NotSeen) =>
        new(kind, rejection, field, 0, false);

    private enum Fingerprint
    {
        Missing,
        Accepted,
        Other,
    }

    /// <summary>What reading the table's element found besides the values: the first duplicate, unknown params, the fingerprint.</summary>
    private struct TakenParams(int duplicate, int unknown, Fingerprint fingerprint)
    {
        public int Duplicate = duplicate;
        public int Unknown = unknown;
        public Fingerprint Fingerprint = fingerprint;
    }

    /// <summary>A param's value as the walk found it; plain printable ASCII needs no escaping on the way to JSON.</summary>
    private readonly record struct TakenValue(Segment Segment, bool IsPlainAscii);
}
