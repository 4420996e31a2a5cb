using System.Text.Json;
using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Conformance.Reporting;

/// <summary>One JSON document: totals, what each check covered, and every finding with both locations.</summary>
public sealed class JsonReport : IConformanceReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Write(IReadOnlyList<CheckOutcome> outcomes, bool strict, TextWriter output)
    {
        var errors = outcomes.Sum(o => o.Errors);
        var warnings = outcomes.Sum(o => o.Warnings);
        var document = new
        {
            passed = errors == 0 && !(strict && warnings > 0),
            errors,
            warnings,
            strict,
            checks = outcomes.Select(o => new { check = o.Check, subject = o.Subject, covered = o.Covered, errors = o.Errors, warnings = o.Warnings }),
            findings = outcomes.SelectMany(o => o.Findings.Select(f => new
            {
                check = o.Check,
                file = f.File,
                line = f.Line,
                severity = f.Severity == Severity.Error ? "error" : "warning",
                message = f.Message,
                fix = f.Fix,
                schema = f.SchemaLocation is null ? null : $"{f.SchemaLocation.File}:{f.SchemaLocation.Line}",
            })),
        };
        output.WriteLine(JsonSerializer.Serialize(document, Indented));
    }
}
