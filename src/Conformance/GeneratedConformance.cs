using HaproxyKafka.Generator.Drift;
using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Conformance;

/// <summary>Checked-in generated files (as <c>generate --check</c>): a stale one is a finding at its first differing line.</summary>
public static class GeneratedConformance
{
    public static IReadOnlyList<Finding> Check(SchemaExpectations expected, string directory, string schemaPath)
    {
        var drift = DriftCheck.Compare(expected.Artifacts, directory);
        var fix = $"run haproxykafka-schema generate --schema {schemaPath} --out {directory} and commit the result";
        var findings = new List<Finding>();
        foreach (var file in drift.Changed)
        {
            var path = Path.Combine(directory, file);
            var want = expected.Content(file).Split('\n');
            var have = File.ReadAllText(path).Split('\n');
            var line = 0;
            while (line < want.Length && line < have.Length && want[line] == have[line])
            {
                line++;
            }

            findings.Add(new Finding(path, line + 1, Severity.Error, "generated file is stale: it differs from what the schema generates from this line on", fix));
        }

        findings.AddRange(drift.Missing.Select(file => new Finding(Path.Combine(directory, file), 1, Severity.Error, "generated file is missing", fix)));
        findings.AddRange(drift.Unexpected.Select(file => new Finding(Path.Combine(directory, file), 1, Severity.Error, "file is not generated from the schema any more, but something may still deploy it", $"delete it, or {fix}")));
        return findings;
    }
}
