namespace HaproxyKafka.Conformance.Reporting;

/// <summary>One output format of <c>check</c>; <paramref name="strict"/> says whether warnings count as failures.</summary>
public interface IConformanceReport
{
    void Write(IReadOnlyList<CheckOutcome> outcomes, bool strict, TextWriter output);
}
