using System.Xml.Linq;
using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Conformance.Reporting;

/// <summary>
/// JUnit XML as Jenkins, GitLab and most CI servers read it: a test suite per check, a test case per input, a
/// <c>failure</c> listing its findings. Warnings are failures only with <c>--strict</c>; otherwise they go to the
/// case's <c>system-out</c> so they are still visible.
/// </summary>
public sealed class JunitReport : IConformanceReport
{
    public void Write(IReadOnlyList<CheckOutcome> outcomes, bool strict, TextWriter output)
    {
        bool Fails(Finding f) => f.Severity == Severity.Error || strict;
        var suites = outcomes.GroupBy(o => o.Check).Select(group => new XElement(
            "testsuite",
            new XAttribute("name", $"haproxykafka.{group.Key}"),
            new XAttribute("tests", group.Count()),
            new XAttribute("failures", group.Count(o => o.Findings.Any(Fails))),
            new XAttribute("errors", 0),
            new XAttribute("skipped", 0),
            group.Select(o => Case(o, Fails))));
        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(
                "testsuites",
                new XAttribute("name", "haproxykafka conformance"),
                new XAttribute("tests", outcomes.Count),
                new XAttribute("failures", outcomes.Count(o => o.Findings.Any(Fails))),
                suites));
        output.WriteLine(document.Declaration + Environment.NewLine + document);
    }

    private static XElement Case(CheckOutcome outcome, Func<Finding, bool> fails)
    {
        var failing = outcome.Findings.Where(fails).ToList();
        var passing = outcome.Findings.Where(f => !fails(f)).ToList();
        var testCase = new XElement("testcase", new XAttribute("classname", $"haproxykafka.{outcome.Check}"), new XAttribute("name", outcome.Subject));
        if (failing.Count > 0)
        {
            testCase.Add(new XElement(
                "failure",
                new XAttribute("message", $"{failing.Count} finding(s); first: {failing[0].Message}"),
                new XAttribute("type", failing.Any(f => f.Severity == Severity.Error) ? "error" : "warning"),
                string.Join('\n', failing)));
        }

        testCase.Add(new XElement("system-out", string.Join('\n', passing.Select(f => f.ToString()).Prepend($"covered: {outcome.Covered}"))));
        return testCase;
    }
}
