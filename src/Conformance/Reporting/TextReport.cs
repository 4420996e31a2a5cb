namespace HaproxyKafka.Conformance.Reporting;

/// <summary><c>FILE:LINE: error|warning: message (schema: FILE:LINE); fix</c>, then what each check covered.</summary>
public sealed class TextReport : IConformanceReport
{
    public void Write(IReadOnlyList<CheckOutcome> outcomes, bool strict, TextWriter output)
    {
        foreach (var finding in outcomes.SelectMany(o => o.Findings))
        {
            output.WriteLine(finding);
        }

        foreach (var outcome in outcomes)
        {
            output.WriteLine($"checked {outcome.Check} {outcome.Subject}: {outcome.Covered}: {outcome.Errors} error(s), {outcome.Warnings} warning(s)");
        }

        var errors = outcomes.Sum(o => o.Errors);
        var warnings = outcomes.Sum(o => o.Warnings);
        output.WriteLine($"{errors} error(s), {warnings} warning(s){(strict && warnings > 0 ? " (--strict: warnings fail)" : string.Empty)}");
    }
}
