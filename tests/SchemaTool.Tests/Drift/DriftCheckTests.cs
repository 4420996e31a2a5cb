using HaproxyKafka.TestSupport;

namespace HaproxyKafka.SchemaTool.Tests.Drift;

public class DriftCheckTests
{
    [Fact]
    public void The_checked_in_generated_directory_is_current()
    {
        var result = CliRunner.Generate(RepoPaths.Schema, RepoPaths.Generated, check: true);

        result.ExitCode.Should().Be(0, "generated/ must be regenerated after schema or template changes:\n" + result.StdOut);
        result.StdOut.Should().Contain("all 11 generated files are up to date");
    }

    [Fact]
    public void An_edited_file_is_reported_with_a_unified_diff()
    {
        using var dir = new TempDirectory();
        var schema = CopySchema(dir);
        CliRunner.Generate(schema, dir.File("generated")).ExitCode.Should().Be(0);
        var captures = dir.File("generated/haproxy/captures.cfg");
        File.WriteAllText(captures, File.ReadAllText(captures).Replace("capture request header Referer len 1024", "capture request header Referer len 512"));

        var result = CliRunner.Generate(schema, dir.File("generated"), check: true);

        result.ExitCode.Should().Be(1);
        result.StdOut.Should().Contain("--- a/haproxy/captures.cfg\n+++ b/haproxy/captures.cfg\n@@ -")
            .And.Contain("\n-capture request header Referer len 512\n+capture request header Referer len 1024\n")
            .And.Contain(" capture request header Host len 255\n")
            .And.Contain("captures.cfg: error: differs from what the schema generates");
    }

    [Fact]
    public void A_layout_change_without_regenerating_is_drift_in_every_file()
    {
        using var dir = new TempDirectory();
        var schema = CopySchema(dir);
        CliRunner.Generate(schema, dir.File("generated")).ExitCode.Should().Be(0);
        File.WriteAllText(schema, File.ReadAllText(schema).Replace("{ sd: range,", "{ sd: byte_range,"));

        var result = CliRunner.Generate(schema, dir.File("generated"), check: true);

        // A renamed SD param changes the fingerprint, which every banner carries.
        result.ExitCode.Should().Be(1);
        result.StdOut.Should().Contain("byte_range");
        DriftedFiles(dir, result.StdOut).Should().BeEquivalentTo(GeneratedFiles(dir));
    }

    [Fact]
    public void A_capture_len_change_without_regenerating_is_drift_only_where_the_len_is_written()
    {
        using var dir = new TempDirectory();
        var schema = CopySchema(dir);
        CliRunner.Generate(schema, dir.File("generated")).ExitCode.Should().Be(0);
        File.WriteAllText(schema, File.ReadAllText(schema).Replace("{ header: Range, len: 10 }", "{ header: Range, len: 20 }"));

        var result = CliRunner.Generate(schema, dir.File("generated"), check: true);

        // The fingerprint (and so every banner) stays: a capture's len is not part of the line's layout.
        result.ExitCode.Should().Be(1);
        result.StdOut.Should().Contain("+capture request header Range len 20").And.Contain("+    len: 20");
        DriftedFiles(dir, result.StdOut).Should().BeEquivalentTo(
            Path.Combine("haproxy", "captures.cfg"), Path.Combine("puppet", "hieradata", "profile_cache_haproxy.yaml"));
    }

    [Fact]
    public void Missing_and_unexpected_files_are_findings()
    {
        using var dir = new TempDirectory();
        var schema = CopySchema(dir);
        CliRunner.Generate(schema, dir.File("generated")).ExitCode.Should().Be(0);
        File.Delete(dir.File("generated/forwarder/parser-table.json"));
        File.WriteAllText(dir.File("generated/haproxy/old.cfg"), "stale");

        var result = CliRunner.Generate(schema, dir.File("generated"), check: true);

        result.ExitCode.Should().Be(1);
        result.StdOut.Should().Contain("parser-table.json: error: missing; run generate")
            .And.Contain("old.cfg: error: not generated from the schema; delete it");
    }

    private static IEnumerable<string> GeneratedFiles(TempDirectory dir) =>
        Directory.GetFiles(dir.File("generated"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir.File("generated"), f));

    private static IEnumerable<string> DriftedFiles(TempDirectory dir, string output) =>
        GeneratedFiles(dir).Where(f => output.Contains(f + ": error: differs", StringComparison.Ordinal));

    private static string CopySchema(TempDirectory dir)
    {
        var schema = dir.File("schema.yaml");
        File.Copy(RepoPaths.Schema, schema);
        return schema;
    }
}
