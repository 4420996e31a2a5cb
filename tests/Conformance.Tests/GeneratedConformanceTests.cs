using HaproxyKafka.Conformance;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

public class GeneratedConformanceTests
{
    [Fact]
    public void The_checked_in_files_are_current()
    {
        using var copy = new GeneratedCopy();

        GeneratedConformance.Check(ShippedExpectations.Value, copy.Path, RepoPaths.Schema).Should().BeEmpty();
    }

    [Fact]
    public void An_edited_file_is_stale_at_its_first_differing_line()
    {
        using var copy = new GeneratedCopy();
        copy.Edit("haproxy/captures.cfg", t => t.ReplaceOnce("capture request header Range len 10", "capture request header Range len 20"));

        var finding = GeneratedConformance.Check(ShippedExpectations.Value, copy.Path, RepoPaths.Schema).Should().ContainSingle().Subject;

        finding.File.Should().Be(copy.File("haproxy/captures.cfg"));
        finding.Line.Should().Be(TextPosition.LineOf(File.ReadAllText(finding.File), "Range len 20"));
        finding.Message.Should().Contain("stale");
    }

    [Fact]
    public void Missing_and_leftover_files_are_findings()
    {
        using var copy = new GeneratedCopy();
        File.Delete(copy.File("forwarder/parser-table.json"));
        File.WriteAllText(copy.File("haproxy/old-captures.cfg"), "capture request header Cookie len 64\n");

        var findings = GeneratedConformance.Check(ShippedExpectations.Value, copy.Path, RepoPaths.Schema);

        findings.Select(f => (Path.GetRelativePath(copy.Path, f.File), f.Message)).Should().BeEquivalentTo(new[]
        {
            ("forwarder/parser-table.json", "generated file is missing"),
            ("haproxy/old-captures.cfg", "file is not generated from the schema any more, but something may still deploy it"),
        });
    }
}
