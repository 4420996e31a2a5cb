using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Conformance;

/// <summary>
/// A deployed parser table against the one the schema generates: same fingerprint (else HAProxy's lines are all
/// rejected), and the same mapping field by field (a hand edit keeps the fingerprint but maps differently).
/// </summary>
public static class ParserTableConformance
{
    public static IReadOnlyList<Finding> Check(SchemaExpectations expected, string file)
    {
        ParserTable have;
        try
        {
            have = ParserTableLoader.Load(file);
        }
        catch (InvalidInputException e)
        {
            return [.. e.Diagnostics.Select(Finding.From)];
        }

        var want = expected.ParserTable;
        var lines = File.ReadAllLines(file);
        int LineOf(string needle) => Array.FindIndex(lines, l => l.Contains(needle, StringComparison.Ordinal)) + 1 is var n && n > 0 ? n : 1;
        var regenerate = "deploy generated/forwarder/parser-table.json (haproxykafka-schema generate) instead of editing or keeping an old one";
        var findings = new List<Finding>();
        if (have.Fingerprint != want.Fingerprint)
        {
            findings.Add(new Finding(file, LineOf("\"fingerprint\""), Severity.Error, $"fingerprint is {have.Fingerprint}, the schema's is {want.Fingerprint}: the forwarder would reject every line HAProxy writes from this schema", regenerate));
        }

        if (have.SdId != want.SdId)
        {
            findings.Add(new Finding(file, LineOf("\"sd_id\""), Severity.Error, $"sd_id is '{have.SdId}', the schema's is '{want.SdId}'", regenerate));
        }

        for (var i = 0; i < Math.Max(have.Fields.Length, want.Fields.Length); i++)
        {
            var h = i < have.Fields.Length ? have.Fields[i] : null;
            var w = i < want.Fields.Length ? want.Fields[i] : null;
            if (h == w)
            {
                continue;
            }

            var message = (h, w) switch
            {
                (null, _) => $"field {i + 1} ('{w!.Sd}') is missing",
                (_, null) => $"field {i + 1} ('{h.Sd}') is not in the schema",
                _ => $"field {i + 1} is {{{Describe(h)}}}, the schema generates {{{Describe(w)}}}",
            };
            findings.Add(new Finding(file, h is null ? LineOf("\"fields\"") : LineOf($"\"sd\": \"{h.Sd}\""), Severity.Error, message, regenerate));
        }

        if (!have.Clusters.SequenceEqual(want.Clusters) || have.DlqTopic != want.DlqTopic || !have.Added.SequenceEqual(want.Added))
        {
            findings.Add(new Finding(file, LineOf("\"clusters\""), Severity.Error, "clusters, dlq_topic or added fields differ from what the schema generates", regenerate));
        }

        return findings;
    }

    /// <summary>In the table's own spelling, so the message can be compared with the file by eye.</summary>
    private static string Describe(ParserTableField f) =>
        $"sd {f.Sd}, json {f.Json}, type {Name(NamedValues.Types, f.Type)}, transform {Name(NamedValues.Transforms, f.Transform)}, " +
        $"required {(f.Required ? "true" : "false")}, absent {Name(NamedValues.Absent, f.Absent)}, source {f.Source}";

    private static string Name<T>(IReadOnlyDictionary<string, T> names, T value) =>
        names.First(n => EqualityComparer<T>.Default.Equals(n.Value, value)).Key;
}
