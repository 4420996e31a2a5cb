using HaproxyKafka.Conformance;
using HaproxyKafka.Schema;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.SchemaTool.Tests.Cli;

public class CheckCommandTests
{
    private static readonly string Baseline = Corpus.Text("baseline.cfg");

    [Fact]
    public void The_cli_reports_findings_as_text_and_json_with_exit_1()
    {
        using var dir = new TempDirectory();
        var cfg = dir.File("haproxy.cfg");
        File.WriteAllText(cfg, Baseline.Replace("capture request header Range len 10", "capture request header Range len 20", StringComparison.Ordinal));

        var text = CliRunner.Run("check", "--schema", RepoPaths.Schema, "--haproxy-cfg", cfg);
        var json = CliRunner.Run("check", "--schema", RepoPaths.Schema, "--haproxy-cfg", cfg, "--format", "json");

        text.ExitCode.Should().Be(1);
        text.StdOut.Should().MatchRegex($@"{cfg}:\d+: error: request capture slot 4 of listen 'tls' \('Range'\) has len 20, the schema 10 \(schema: .*schema\.yaml:\d+\); set len 10");
        json.ExitCode.Should().Be(1);
        using var doc = System.Text.Json.JsonDocument.Parse(json.StdOut);
        doc.RootElement.GetProperty("passed").GetBoolean().Should().BeFalse();
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray().Should().ContainSingle().Subject;
        finding.GetProperty("severity").GetString().Should().Be("error");
        finding.GetProperty("check").GetString().Should().Be("haproxy-cfg");
        finding.GetProperty("schema").GetString().Should().MatchRegex(@"schema\.yaml:\d+$");
    }

    [Fact]
    public void The_cli_validates_captured_messages_against_the_generated_json_schema()
    {
        using var dir = new TempDirectory();
        var messages = dir.File("messages.jsonl");
        File.WriteAllLines(messages, ["{\"server_pid\": \"31556\"}"]);

        var result = CliRunner.Run("check", "--schema", RepoPaths.Schema, "--messages", messages);

        result.ExitCode.Should().Be(1, result.StdErr);
        result.StdOut.Should().Contain($"{messages}:1: error: message does not match schemas/webrequest.json: ")
            .And.Contain("/server_pid (type)").And.Contain("(required)");
    }

    [Fact]
    public void The_cli_passes_the_baseline_and_fails_to_run_on_a_missing_file()
    {
        using var dir = new TempDirectory();
        var cfg = dir.File("haproxy.cfg");
        File.WriteAllText(cfg, Baseline);

        CliRunner.Run("check", "--schema", RepoPaths.Schema, "--haproxy-cfg", cfg, "--generated", RepoPaths.Generated).ExitCode.Should().Be(0);
        CliRunner.Run("check", "--schema", RepoPaths.Schema, "--haproxy-cfg", dir.File("missing.cfg")).ExitCode.Should().Be(2);
    }
}
