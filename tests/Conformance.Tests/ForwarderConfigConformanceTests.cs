using HaproxyKafka.Conformance;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

public class ForwarderConfigConformanceTests
{
    private static readonly string GeneratedTable = Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json");

    [Fact]
    public void The_production_shaped_config_conforms_and_its_parser_table_is_checked()
    {
        using var dir = new TempDirectory();
        var config = Corpus.WriteTo(dir, "forwarder-config.yaml");

        var (findings, covered) = ForwarderConfigConformance.Check(ShippedExpectations.Value, config, GeneratedTable);

        findings.Should().BeEmpty();
        covered.Should().Contain("parser table fingerprint");
    }

    [Theory]
    [InlineData("sdid: haproxykafka@0", "sdid: benthoslog", "sdid:", "'sdid' is 'benthoslog' but the parser table (generated from schema.yaml) reads SD-ID 'haproxykafka@0'")]
    [InlineData("  path: /var/run/haproxykafka/haproxykafka.sock", "  path: /run/haproxykafka.sock", "  path:", "socket.path is '/run/haproxykafka.sock' but HAProxy's logger writes to '/var/run/haproxykafka/haproxykafka.sock'")]
    [InlineData("    acks: all\n", "    acks: all\n    topic.request.required.acks: 1\n", "topic.request.required.acks", "sets 'request.required.acks' 2 times: 'acks: all' (line 27), 'topic.request.required.acks: 1' (line 28); librdkafka applies them in order, so the effective value is '1'")]
    [InlineData("  topic: webrequest_frontend_text", "  topic: webrequest_frontend_misc", "  topic:", "'kafka.topic' is 'webrequest_frontend_misc', which is not a cluster topic of the schema")]
    [InlineData("  mode: '0622'", "  mdoe: '0622'", "mdoe", "unknown key 'socket.mdoe'")]
    public void Drift_is_caught_on_the_right_line(string replace, string with, string lineText, string expected)
    {
        using var dir = new TempDirectory();
        var config = Corpus.WriteTo(dir, "forwarder-config.yaml", t => t.ReplaceOnce(replace, with));

        var (findings, _) = ForwarderConfigConformance.Check(ShippedExpectations.Value, config, GeneratedTable);

        var finding = findings.Should().Contain(f => f.Message.Contains(expected), string.Join('\n', findings)).Subject;
        finding.Severity.Should().Be(Severity.Error);
        finding.Line.Should().Be(TextPosition.LineOf(File.ReadAllText(config), lineText), finding.ToString());
    }

    [Fact]
    public void A_parser_table_from_another_schema_is_caught_on_the_parser_table_line()
    {
        using var dir = new TempDirectory();
        var config = Corpus.WriteTo(dir, "forwarder-config.yaml");
        var table = dir.File("old-table.json");
        File.WriteAllText(table, File.ReadAllText(GeneratedTable).ReplaceOnce($"\"fingerprint\": \"{Corpus.Fingerprint}\"", "\"fingerprint\": \"00000000000000aa\""));

        var (findings, _) = ForwarderConfigConformance.Check(ShippedExpectations.Value, config, table);

        findings.Should().ContainSingle().Which.Should().Match<Finding>(f =>
            f.Line == TextPosition.LineOf(File.ReadAllText(config), "parser_table:") &&
            f.Message.Contains("has fingerprint 00000000000000aa, the schema's is " + Corpus.Fingerprint));
    }

    [Fact]
    public void A_parser_table_path_that_is_not_on_this_machine_is_said_not_silently_passed()
    {
        using var dir = new TempDirectory();
        var config = Corpus.WriteTo(dir, "forwarder-config.yaml");

        var (findings, covered) = ForwarderConfigConformance.Check(ShippedExpectations.Value, config, parserTable: null);

        findings.Should().BeEmpty();
        covered.Should().Contain("'/etc/haproxykafka/parser-table.json' is not on this machine (pass --parser-table");
    }

    [Fact]
    public void A_config_the_daemon_refuses_still_gets_every_check_that_does_not_need_what_failed()
    {
        using var dir = new TempDirectory();
        var config = Corpus.WriteTo(dir, "production/config.yaml", t => t.ReplaceOnce("sdid: haproxykafka@0", "sdid: benthoslog"));

        var (findings, covered) = ForwarderConfigConformance.Check(ShippedExpectations.Value, config, parserTable: null);

        var text = File.ReadAllText(config);
        var report = string.Join('\n', findings);
        findings.Should().Contain(f => f.Message.Contains("parser_table") && f.Severity == Severity.Error, report);
        findings.Should().ContainSingle(f => f.Message.Contains("sets 'request.required.acks' 2 times"), report)
            .Which.Line.Should().Be(TextPosition.LineOf(text, "    topic.request.required.acks"));
        findings.Should().ContainSingle(f => f.Message.Contains("'sdid' is 'benthoslog'"), report)
            .Which.Line.Should().Be(TextPosition.LineOf(text, "sdid:"));
        covered.Should().Contain("does not load").And.Contain("no usable parser_table");
    }

    [Fact]
    public void A_key_with_an_error_of_its_own_is_reported_once_by_the_loader()
    {
        using var dir = new TempDirectory();
        var config = Corpus.WriteTo(dir, "production/config.yaml", t => t.ReplaceOnce("  path: /var/run/haproxykafka/haproxykafka.sock", "  path: ''"));

        var (findings, _) = ForwarderConfigConformance.Check(ShippedExpectations.Value, config, parserTable: null);

        findings.Where(f => f.Line == TextPosition.LineOf(File.ReadAllText(config), "  path:")).Should().ContainSingle(string.Join('\n', findings))
            .Which.Message.Should().Contain("'socket.path' is empty");
    }
}
