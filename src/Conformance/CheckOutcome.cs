using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Conformance;

/// <summary>
/// One check run on one input (e.g. <c>haproxy-cfg</c> on <c>/etc/haproxy/haproxy.cfg</c>): what it found and a
/// line saying what it covered, so a clean run still shows what was proven.
/// </summary>
public sealed record CheckOutcome(string Check, string Subject, IReadOnlyList<Finding> Findings, string Covered)
{
    public int Errors => Findings.Count(f => f.Severity == Severity.Error);

    public int Warnings => Findings.Count(f => f.Severity == Severity.Warning);
}
