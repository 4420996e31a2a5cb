using HaproxyKafka.Decoder.Rfc5424;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Why one datagram does not conform, in words: first what the forwarder's own mapper would do with it (the same
/// code, so "conforms" here means "is forwarded"), then whether its params are exactly the schema's, in order.
/// </summary>
public static class DatagramVerdict
{
    /// <summary>Null when the line is a request line the forwarder maps exactly as the schema intends; "notice" lines are conforming.</summary>
    public static string? Of(LineMapper mapper, SchemaExpectations expected, ReadOnlySpan<byte> datagram, JsonBuffer scratch, out LineKind kind)
    {
        var schema = expected.Schema;
        var result = mapper.Map(datagram, scratch);
        kind = result.Kind;
        SyslogLine.TryParse(datagram, out var line, out var syntax);
        var element = line?.Element(schema.SdId);
        string Field() => mapper.FieldName(result.FieldIndex);
        string Value() => element?[Field()] ?? "(absent)";
        var problem = result.Rejection switch
        {
            Rejection.None => null,
            Rejection.Malformed => $"not an RFC 5424 line ({syntax ?? "bad header"}); is the logger's format rfc5424?",
            Rejection.Truncated => $"cut inside the structured data after {datagram.Length} bytes: the logger's len is too small for this line",
            Rejection.Emptied => "HAProxy emptied the structured data and message: the line did not fit the logger's len",
            Rejection.SdIdMismatch => $"structured data '{line?.StructuredData.FirstOrDefault()?.Id}' is not the schema's '{schema.SdId}'",
            Rejection.FingerprintMissing => $"no '{LogSchema.FingerprintParam}' param: HAProxy's log-format-sd was not generated from this schema",
            Rejection.FingerprintMismatch => $"{LogSchema.FingerprintParam} is '{element?[LogSchema.FingerprintParam]}', the schema's is '{expected.Fingerprint}': HAProxy runs a config generated from another schema",
            Rejection.DuplicateParam => $"param '{Field()}' appears twice",
            Rejection.MissingRequired => $"required field '{Field()}' is absent or '-'",
            Rejection.InvalidInteger or Rejection.InvalidNumber or Rejection.InvalidTimestamp =>
                $"field '{Field()}' is '{Value()}', not a valid {result.Rejection.Label()["invalid_".Length..]}",
            _ => result.Rejection.Label(),
        };
        if (problem is not null || result.Kind != LineKind.Request || element is null)
        {
            return problem;
        }

        var want = schema.Fields.Select(f => f.SdParam).Append(LogSchema.FingerprintParam).ToList();
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
