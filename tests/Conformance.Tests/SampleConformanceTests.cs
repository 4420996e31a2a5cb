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

    /// <summary>Production's lines before HAProxy's config is regenerated: line 4 of the corpus without its fingerprint.</summary>
    private static string[] DropInSamples(TempDirectory dir)
    {
        var conforming = Corpus.Text("samples.log").Split('\n')[3];
        var withoutFingerprint = conforming.Replace($" schema_fp=\"{Corpus.Fingerprint}\"", string.Empty, StringComparison.Ordinal);
        withoutFingerprint.Should().NotBe(conforming);
        var otherSchema = conforming.Replace(Corpus.Fingerprint, "0000000000000000", StringComparison.Ordinal);
        File.WriteAllLines(dir.File("dropin.log"), [conforming, withoutFingerprint, otherSchema]);
        return [dir.File("dropin.log")];
    }

    [Fact]
    public void A_line_without_fingerprint_is_an_error_unless_the_drop_in_setting_is_on_then_a_warning()
    {
        using var dir = new TempDirectory();
        var file = DropInSamples(dir)[0];

        var (off, _) = SampleConformance.Check(ShippedExpectations.Value, file);
        var (on, covered) = SampleConformance.Check(ShippedExpectations.Value, file, mapWithoutFingerprint: true);

        off.Should().Contain(f => f.Line == 2 && f.Severity == Severity.Error && f.Message.Contains("no 'schema_fp' param"));
        on.Should().ContainSingle(f => f.Line == 2).Which.Should().Match<Finding>(f => f.Severity == Severity.Warning && f.Message.Contains("map_lines_without_fingerprint") && f.Message.Contains("lines_without_fingerprint_total"));
        on.Should().ContainSingle(f => f.Line == 3 && f.Severity == Severity.Error, "another schema's fingerprint is still refused").Which.Message.Should().Contain("schema_fp is '0000000000000000'");
        on.Should().NotContain(f => f.Line == 1);
        covered.Should().Contain("2 request line(s) conform (1 of them without a fingerprint, under map_lines_without_fingerprint)");
    }

    [Fact]
    public async Task Check_takes_the_drop_in_setting_from_the_forwarder_config()
    {
        using var dir = new TempDirectory();
        var samples = DropInSamples(dir)[0];
        var config = Corpus.WriteTo(dir, "forwarder-config.yaml", t => t + "map_lines_without_fingerprint: true\n");
        var request = new CheckRequest(RepoPaths.Schema, [], [], config, null, samples, null, false);

        var outcomes = await ConformanceRun.RunAsync(ShippedExpectations.Value, request);

        outcomes.Single(o => o.Check == "samples").Findings.Should().Contain(f => f.Line == 2 && f.Severity == Severity.Warning);
    }
}
