using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Conformance.Reporting;

/// <summary>
/// GitHub Actions workflow commands (<c>::error file=F,line=L,title=T::message</c>), which the run page shows as
/// annotations on the offending line of the pull request. Escaping follows the runner's rules: <c>%</c>, CR and LF
/// in the message; additionally <c>:</c> and <c>,</c> in properties.
/// </summary>
public sealed class GithubReport : IConformanceReport
{
    public void Write(IReadOnlyList<CheckOutcome> outcomes, bool strict, TextWriter output)
    {
        foreach (var outcome in outcomes)
        {
            foreach (var f in outcome.Findings)
            {
                var level = f.Severity == Severity.Error || strict ? "error" : "warning";
                var schema = f.SchemaLocation is null ? string.Empty : $" (schema: {f.SchemaLocation.File}:{f.SchemaLocation.Line})";
                output.WriteLine($"::{level} file={Property(f.File)},line={f.Line},title={Property($"haproxykafka check {outcome.Check}")}::{Data($"{f.Message}{schema}; fix: {f.Fix}")}");
            }
        }

        output.WriteLine($"haproxykafka check: {outcomes.Sum(o => o.Errors)} error(s), {outcomes.Sum(o => o.Warnings)} warning(s) in {outcomes.Count} check(s)");
    }

    private static string Data(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string Property(string value) =>
        Data(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
