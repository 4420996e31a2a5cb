using HaproxyKafka.Conformance;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

public class HieraConformanceTests
{
    private const string Common = "hiera/common.yaml";
    private const string Text = "hiera/role/cache/text.yaml";

    private static (IReadOnlyList<Finding> Findings, string CommonPath, string TextPath) Check(Func<string, string>? editCommon = null, Func<string, string>? editText = null)
    {
        using var dir = new TempDirectory();
        var common = Corpus.WriteTo(dir, Common, editCommon);
        var text = Corpus.WriteTo(dir, Text, editText);
        var findings = HieraConformance.Check(ShippedExpectations.Value, [common, text]);
        return (findings, File.ReadAllText(common), File.ReadAllText(text));
    }

    [Fact]
    public void Keys_split_across_files_among_other_settings_conform()
    {
        Check().Findings.Should().BeEmpty();
    }

    [Theory]
    [InlineData(Common, "%{literal(\"%\")}{+E}o", "%{literal(''%'')}{+E}o")]
    [InlineData(Common, "kafka_log_facility: 'local0'", "kafka_log_facility: \"local0\"")]
    [InlineData(Common, "profile::cache::haproxy::do_ocsp: true\n", "profile::cache::haproxy::do_ocsp: true\n# a comment\n\n")]
    [InlineData(Text, "socket:\n  path: '/var/run/haproxykafka/haproxykafka.sock'\n  mode: \"0622\"\n  user: 'haproxykafka'\n  group: 'haproxykafka'", "socket: {group: haproxykafka, user: haproxykafka, mode: '0622', path: /var/run/haproxykafka/haproxykafka.sock}")]
    public void Benign_spellings_pass(string file, string replace, string with)
    {
        var edit = (string t) => t.ReplaceOnce(replace, with);
        Check(file == Common ? edit : null, file == Text ? edit : null).Findings.Should().BeEmpty();
    }

    [Theory]
    [InlineData("  - header: 'Referer'\n    len: 1024\n    after_rules: false\n  - header: 'User-Agent'", "  - header: 'User-Agent'\n    len: 1024\n    after_rules: false\n  - header: 'Referer'", "  - header: 'User-Agent'", "request_captures[1].header is 'User-Agent', the schema gives 'Referer' (a capture's position in the list is its HAProxy slot)")]
    [InlineData("  - header: 'Range'\n    len: 10", "  - header: 'Range'\n    len: 20", "    len: 20", "request_captures[4].len is '20', the schema gives '10'")]
    [InlineData("%{literal(\"%\")}{+E}o", "%{+E}o", "log_format_sd", "contains '%{+E}', which hiera interpolates as a variable lookup")]
    [InlineData(" referer=", " referrer=", "log_format_sd", "log_format_sd differs from the schema's value at character")]
    [InlineData("logurilen: 2048", "logurilen: 1024", "logurilen", "logurilen is '1024', the schema gives '2048'")]
    [InlineData("  - header: 'Server'\n    len: 64\n    after_rules: false\n", "", "  - header: 'X-Cache-Status'", "response_captures has 4 entries, the schema 5: entry 4 is missing")]
    public void Drift_in_common_yaml_is_caught_on_the_right_line(string replace, string with, string lineText, string expected)
    {
        var (findings, common, _) = Check(t => t.ReplaceOnce(replace, with));

        var finding = findings.Should().Contain(f => f.Message.Contains(expected), string.Join('\n', findings)).Subject;
        finding.Severity.Should().Be(Severity.Error);
        finding.File.Should().EndWith(Common);
        finding.Line.Should().Be(TextPosition.LineOf(common, lineText), finding.ToString());
    }

    [Fact]
    public void Drift_in_the_second_file_is_reported_in_that_file()
    {
        var (findings, _, text) = Check(editText: t => t.ReplaceOnce("sdid: \"haproxykafka@0\"", "sdid: \"haproxykafka@1\""));

        findings.Should().ContainSingle().Which.Should().Match<Finding>(f =>
            f.File.EndsWith(Text) && f.Line == TextPosition.LineOf(text, "sdid:") && f.Message == "profile::cache::haproxykafka::sdid is 'haproxykafka@1', the schema gives 'haproxykafka@0'");
    }

    [Fact]
    public void A_schema_key_no_file_sets_is_a_warning()
    {
        using var dir = new TempDirectory();
        var common = Corpus.WriteTo(dir, Common);

        var findings = HieraConformance.Check(ShippedExpectations.Value, [common]);

        var note = findings.Should().ContainSingle().Subject;
        note.Severity.Should().Be(Severity.Warning);
        note.Message.Should().Contain("set in none of the given hiera files").And.Contain("'profile::cache::haproxykafka::sdid'").And.NotContain("'profile::cache::haproxy::");
    }

    private static readonly string KeyMap = Path.Combine(RepoPaths.Root, "examples", "wikimedia", "hiera-keys.yaml");

    [Fact]
    public void Production_key_names_are_checked_through_the_mapping_not_warned_about()
    {
        using var dir = new TempDirectory();
        var host = Corpus.WriteTo(dir, "production/hiera/cp3066.yaml");

        var (findings, covered) = HieraConformance.Check(ShippedExpectations.Value, [host], KeyMap);

        var note = findings.Should().ContainSingle(string.Join('\n', findings)).Subject;
        note.Message.Should().Contain("1 schema value(s)").And.Contain("'profile::cache::haproxy::haproxykafka_socket' (the schema's kafka_log_socket");
        note.File.Should().Be(KeyMap);
        note.Line.Should().Be(TextPosition.LineOf(File.ReadAllText(KeyMap), "kafka_log_socket:"));
        covered.Should().Contain("2 schema-derived key(s)").And.Contain("14 kept out of hiera");
    }

    [Fact]
    public void A_production_key_holding_another_value_is_an_error_at_its_line()
    {
        using var dir = new TempDirectory();
        var host = Corpus.WriteTo(dir, "production/hiera/cp3066.yaml", t => t.ReplaceOnce("log_length: 8192", "log_length: 2048"));

        var (findings, _) = HieraConformance.Check(ShippedExpectations.Value, [host], KeyMap);

        var error = findings.Should().ContainSingle(f => f.Severity == Severity.Error).Subject;
        error.Message.Should().Be("profile::cache::haproxy::log_length is '2048', the schema gives '8192'");
        error.Fix.Should().Contain("kafka_log_len");
        error.Line.Should().Be(TextPosition.LineOf(File.ReadAllText(host), "log_length"));
    }

    [Fact]
    public void A_mapping_of_a_key_the_generator_does_not_write_is_an_error_at_its_line()
    {
        using var dir = new TempDirectory();
        var host = Corpus.WriteTo(dir, "production/hiera/cp3066.yaml");
        File.WriteAllText(dir.File("keys.yaml"), "profile::cache::haproxy::kafka_log_len: profile::cache::haproxy::log_length\nprofile::cache::haproxy::log_lenght: x\n");

        var (findings, _) = HieraConformance.Check(ShippedExpectations.Value, [host], dir.File("keys.yaml"));

        findings.Should().Contain(f => f.File == dir.File("keys.yaml") && f.Line == 2 && f.Severity == Severity.Error && f.Message.Contains("'profile::cache::haproxy::log_lenght' is not a key the generator writes"));
    }
}
