using HaproxyKafka.Diagnostics;
using HaproxyKafka.Conformance;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

public class SampleConformanceTests
{
    /// <summary>Each '# expect: TEXT' in the corpus names the finding the next line must get; other lines must pass.</summary>
    [Fact]
    public void Every_annotated_sample_is_reported_with_its_reason_and_no_other_line_is()
    {
        using var dir = new TempDirectory();
        var path = Corpus.WriteTo(dir, "samples.log");
        var lines = File.ReadAllLines(path);
        var expected = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("# expect: ", StringComparison.Ordinal))
            .ToDictionary(x => x.i + 2, x => x.l["# expect: ".Length..]);

        var (findings, covered) = SampleConformance.Check(ShippedExpectations.Value, path);

        findings.Select(f => f.Line).Should().BeEquivalentTo(expected.Keys, string.Join('\n', findings));
        foreach (var finding in findings)
        {
            finding.Message.Should().Contain(expected[finding.Line]);
        }

        expected.Should().HaveCountGreaterThanOrEqualTo(10);
        covered.Should().Be($"{lines.Count(l => !l.StartsWith('#'))} line(s): 3 request line(s) conform, 1 notice(s) without structured data, {expected.Count} do not conform");
    }

    [Fact]
    public void An_empty_sample_file_is_a_warning_not_a_pass()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("empty.log"), "# nothing captured\n");

        var (findings, _) = SampleConformance.Check(ShippedExpectations.Value, dir.File("empty.log"));

        findings.Should().ContainSingle().Which.Severity.Should().Be(Severity.Warning);
    }
}
