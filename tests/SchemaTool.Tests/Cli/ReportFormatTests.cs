using System.Text.Json;
using System.Xml.Linq;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.SchemaTool.Tests.Cli;

/// <summary>The four output formats of one run with two errors and a warning, and what --strict changes.</summary>
public sealed class ReportFormatTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _drifted;
    private readonly string _warningOnly;

    public ReportFormatTests()
    {
        // A comma and a colon in the path: GitHub's annotation properties must escape both.
        Directory.CreateDirectory(Path.Combine(_dir.Path, "site,a:b"));
        _drifted = Path.Combine(_dir.Path, "site,a:b", "haproxy.cfg");
        _warningOnly = _dir.File("warning-only.cfg");
        var cookie = (string t) => t.ReplaceOnce("    http-request capture req.fhdr(X-Analytics-TLS) id 6\n    server", "    http-request capture req.fhdr(X-Analytics-TLS) id 6\n    capture request header Cookie len 64\n    server");
        File.WriteAllText(_warningOnly, cookie(Corpus.Text("baseline.cfg")));
        File.WriteAllText(_drifted, cookie(Corpus.Text("baseline.cfg"))
            .ReplaceOnce("capture request header Range len 10", "capture request header Range len 20")
            .ReplaceOnce("user_agent=\\\"%[capture.req.hdr(2)]\\\"", "user_agent=\\\"%[req.hdr(User-Agent)]\\\""));
    }

    public void Dispose() => _dir.Dispose();

    private static ProcessResult Check(string cfg, params string[] extra) =>
        CliRunner.Run(["check", "--schema", RepoPaths.Schema, "--templates", RepoPaths.Templates, "--haproxy-cfg", cfg, .. extra]);

    [Fact]
    public void Text_names_file_line_severity_schema_line_and_fix()
    {
        var result = Check(_drifted);

        result.ExitCode.Should().Be(1);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().Contain(l => l.StartsWith($"{_drifted}:") && l.Contains(": error: request capture slot 4 of listen 'tls' ('Range') has len 20, the schema 10 (schema: ") && l.EndsWith("; set len 10"));
        lines.Should().Contain(l => l.StartsWith($"{_drifted}:") && l.Contains(": warning: request capture slot 7 ('Cookie') is not in the schema"));
        lines[^1].Should().Be("2 error(s), 1 warning(s)");
    }

    [Fact]
    public void Warnings_pass_unless_strict()
    {
        Check(_warningOnly).ExitCode.Should().Be(0);

        var strict = Check(_warningOnly, "--strict");

        strict.ExitCode.Should().Be(1);
        strict.StdOut.Should().EndWith("0 error(s), 1 warning(s) (--strict: warnings fail)\n");
    }

    [Fact]
    public void Json_is_one_document_with_totals_checks_and_findings()
    {
        var result = Check(_drifted, "--format", "json");

        result.ExitCode.Should().Be(1);
        using var doc = JsonDocument.Parse(result.StdOut);
        var root = doc.RootElement;
        root.GetProperty("passed").GetBoolean().Should().BeFalse();
        root.GetProperty("errors").GetInt32().Should().Be(2);
        root.GetProperty("warnings").GetInt32().Should().Be(1);
        root.GetProperty("checks").EnumerateArray().Should().ContainSingle().Which.GetProperty("subject").GetString().Should().Be(_drifted);
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        findings.Should().HaveCount(3).And.OnlyContain(f => f.GetProperty("file").GetString() == _drifted && f.GetProperty("line").GetInt32() > 0 && f.GetProperty("fix").GetString()!.Length > 0);
        findings.Select(f => f.GetProperty("severity").GetString()).Should().BeEquivalentTo(["error", "error", "warning"]);
    }

    [Fact]
    public void Github_writes_escaped_workflow_annotations()
    {
        var result = Check(_drifted, "--format", "github");

        result.ExitCode.Should().Be(1);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var file = _drifted.Replace(",", "%2C").Replace(":", "%3A");
        var text = File.ReadAllText(_drifted);
        lines.Should().Contain($"::error file={file},line={TextPosition.LineOf(text, "Range len 20")},title=haproxykafka check haproxy-cfg::request capture slot 4 of listen 'tls' ('Range') has len 20, the schema 10 (schema: {RepoPaths.Schema}:{TextPosition.LineOf(File.ReadAllText(RepoPaths.Schema), "header: Range,")}); fix: set len 10");
        lines.Should().Contain(l => l.StartsWith($"::error file={file},line={TextPosition.LineOf(text, "log-format-sd")},") && l.Contains("uses %25[req.hdr(User-Agent)]"), "a '%' in the message is written %25");
        lines.Should().Contain(l => l.StartsWith($"::warning file={file},") && l.Contains("('Cookie') is not in the schema"));
        Check(_drifted, "--format", "github", "--strict").StdOut.Should().NotContain("::warning").And.Contain("('Cookie') is not in the schema");
    }

    [Fact]
    public void Junit_has_a_suite_per_check_a_case_per_input_and_failures_for_errors()
    {
        var table = Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json");

        var result = Check(_drifted, "--parser-table", table, "--format", "junit");

        result.ExitCode.Should().Be(1);
        var root = XDocument.Parse(result.StdOut).Root!;
        root.Name.LocalName.Should().Be("testsuites");
        ((int)root.Attribute("tests")!).Should().Be(2);
        ((int)root.Attribute("failures")!).Should().Be(1);
        var cfgCase = root.Elements("testsuite").Single(s => (string)s.Attribute("name")! == "haproxykafka.haproxy-cfg").Elements("testcase").Single();
        ((string)cfgCase.Attribute("name")!).Should().Be(_drifted);
        var failure = cfgCase.Element("failure")!;
        ((string)failure.Attribute("message")!).Should().StartWith("2 finding(s); first: ");
        failure.Value.Split('\n').Should().HaveCount(2).And.OnlyContain(l => l.Contains(": error: "));
        cfgCase.Element("system-out")!.Value.Should().Contain("warning: request capture slot 7 ('Cookie')");
        var tableCase = root.Elements("testsuite").Single(s => (string)s.Attribute("name")! == "haproxykafka.parser-table").Elements("testcase").Single();
        tableCase.Element("failure").Should().BeNull();
        tableCase.Element("system-out")!.Value.Should().StartWith("covered: fingerprint, SD-ID and every field mapping");
    }

    [Fact]
    public void Junit_turns_warnings_into_failures_only_when_strict()
    {
        XDocument.Parse(Check(_warningOnly, "--format", "junit").StdOut).Descendants("failure").Should().BeEmpty();

        var strict = XDocument.Parse(Check(_warningOnly, "--format", "junit", "--strict").StdOut);

        ((string)strict.Descendants("failure").Single().Attribute("type")!).Should().Be("warning");
    }

    [Fact]
    public void The_checker_that_cannot_run_exits_2_and_writes_nothing_to_stdout()
    {
        var missing = Check(_dir.File("missing.cfg"), "--format", "json");
        var nothing = CliRunner.Run("check", "--schema", RepoPaths.Schema);

        missing.ExitCode.Should().Be(2);
        missing.StdOut.Should().BeEmpty();
        missing.StdErr.Should().Contain($"cannot read '{_dir.File("missing.cfg")}': no such file or directory");
        nothing.ExitCode.Should().Be(2);
        nothing.StdErr.Should().Contain("nothing to check");
    }
}
