using HaproxyKafka.Decoder.Rfc5424;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Judges datagrams for <c>--samples</c> and <c>--live</c>: the forwarder's own <see cref="LineMapper"/> on the
/// schema's parser table classifies each line (so "conforms" here means "is forwarded"), <see cref="DecodedDatagram"/>
/// (the same reader) supplies the names and values that say why in words, and a line the forwarder maps must also
/// carry exactly the schema's params in the schema's order. One instance per thread, like the mapper.
/// </summary>
public sealed class DatagramJudge
{
    private readonly SchemaExpectations _expected;
    private readonly LineMapper _mapper;
    private readonly JsonBuffer _scratch = new();

    /// <param name="zone">The zone HAProxy's <c>dt</c> was written in; it changes no verdict, only the JSON.</param>
    /// <param name="mapWithoutFingerprint">The forwarder config's <c>map_lines_without_fingerprint</c>: judge as that daemon maps.</param>
    public DatagramJudge(SchemaExpectations expected, TimeZoneInfo zone, bool mapWithoutFingerprint = false)
    {
        _expected = expected;
        var table = expected.ParserTable;
        _mapper = new LineMapper(table, "conformance-check", table.Clusters.Keys.FirstOrDefault(), zone, mapWithoutFingerprint: mapWithoutFingerprint);
    }

    public DatagramVerdict Judge(ReadOnlySpan<byte> datagram)
    {
        var result = _mapper.Map(datagram, _scratch);
        var line = DecodedDatagram.Read(datagram);
        var element = line.Element(_expected.Schema.SdId);
        var problem = result.Rejection == Rejection.None
            ? ParamsProblem(_expected.Schema, result.Kind == LineKind.Request ? element : null, result.WithoutFingerprint)
            : RejectionProblem(datagram.Length, line, element, result);
        return new DatagramVerdict(result.Kind, result.Rejection, problem, result.WithoutFingerprint);
    }

    private string RejectionProblem(int length, DecodedDatagram line, SdElement? element, MapResult result)
    {
        var field = _mapper.FieldName(result.FieldIndex);
        return result.Rejection switch
        {
            Rejection.Malformed => $"not an RFC 5424 line (at byte {line.Position}: {Fault(line)}); is the logger's format rfc5424?",
            Rejection.Truncated => $"cut inside the structured data after {length} bytes: the logger's len is too small for this line",
            Rejection.Emptied => "HAProxy emptied the structured data and message: the line did not fit the logger's len",
            Rejection.SdIdMismatch => $"structured data '{line.Elements.FirstOrDefault()?.Id}' is not the schema's '{_expected.Schema.SdId}'",
            Rejection.FingerprintMissing => $"no '{LogSchema.FingerprintParam}' param: HAProxy's log-format-sd was not generated from this schema",
            Rejection.FingerprintMismatch => $"{LogSchema.FingerprintParam} is '{element?[LogSchema.FingerprintParam]}', the schema's is '{_expected.Fingerprint}': HAProxy runs a config generated from another schema",
            Rejection.DuplicateParam => $"param '{field}' appears twice",
            Rejection.MissingRequired => $"required field '{field}' is absent or '-'",
            Rejection.InvalidInteger or Rejection.InvalidNumber or Rejection.InvalidTimestamp =>
                $"field '{field}' is '{element?[field] ?? "(absent)"}', not a valid {result.Rejection.Label()["invalid_".Length..]}",
            _ => result.Rejection.Label(),
        };
    }

    private static string Fault(DecodedDatagram line) => line.Fault switch
    {
        Rfc5424Part.Priority => "no <PRI> of 0 to 191",
        Rfc5424Part.Version => "no version '1 ' after the PRI",
        Rfc5424Part.Timestamp => "an empty or missing TIMESTAMP",
        Rfc5424Part.Hostname => "an empty or missing HOSTNAME",
        Rfc5424Part.AppName => "an empty or missing APP-NAME",
        Rfc5424Part.ProcId => "an empty or missing PROCID",
        Rfc5424Part.MsgId => "an empty or missing MSGID",
        Rfc5424Part.StructuredData => "structured data that is neither '-' nor '[...]'",
        Rfc5424Part.ElementId => "an SD element without a valid SD-ID",
        Rfc5424Part.ParamName => "neither ' name=' nor ']' in an SD element",
        Rfc5424Part.ParamValue => "a param value that is not quoted",
        Rfc5424Part.Message => "no space between the structured data and the message",
        _ => "an unreadable part",
    };

    /// <summary>For a line the forwarder maps: whether its params are exactly the schema's, in order.</summary>
    private static string? ParamsProblem(LogSchema schema, SdElement? element, bool withoutFingerprint)
    {
        if (element is null)
        {
            return null;
        }

        // A line mapped without a fingerprint lacks that one param by definition; the verdict says so on its own.
        var fields = schema.Fields.Select(f => f.SdParam);
        var want = (withoutFingerprint ? fields : fields.Append(LogSchema.FingerprintParam)).ToList();
        var have = element.Params.Select(p => p.Key).ToList();
        var missing = want.Except(have).ToList();
        var unexpected = have.Except(want).ToList();
        if (missing.Count > 0)
        {
            return $"params {string.Join(", ", missing.Select(m => $"'{m}'"))} are missing: the line lacks fields the schema defines";
        }

        if (unexpected.Count > 0)
        {
            return $"params {string.Join(", ", unexpected.Select(m => $"'{m}'"))} are not in the schema (the forwarder drops them)";
        }

        var at = want.Zip(have).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second);
        return at.p.First is null ? null : $"params are out of the schema's order: '{at.p.Second}' at position {at.i + 1} where the schema has '{at.p.First}'";
    }
}
