using HaproxyKafka.Conformance;
using HaproxyKafka.Schema;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

public class HaproxyConformanceTests
{
    private static readonly Schema.Model.LogSchema Schema = SchemaLoader.LoadFile(RepoPaths.Schema).Schema!;

    private static readonly string Baseline = Corpus.Text("baseline.cfg");

    private static IReadOnlyList<Finding> Check(string text) =>
        HaproxyConformance.Check(Schema, HaproxyConfigFile.Parse("haproxy.cfg", text, new Dictionary<string, string>()));

    private static int LineOf(string text, string needle) => TextPosition.LineOf(text, needle);

    [Fact]
    public void The_production_shaped_baseline_conforms()
    {
        Check(Baseline).Should().BeEmpty();
    }

    [Theory]
    [InlineData("    option dontlognull\n", "    option dontlognull\n    # a comment\n\n    timeout http-request 5s # trailing\n")]
    [InlineData("    capture request header Range len 10", "    capture   request   header  'Range'   len  10")]
    [InlineData("    bind :80\n", "    bind :80\n    http-request set-var(txn.x) str(y)\n")]
    [InlineData("sequence=\\\"%rt\\\"", "sequence=\\\"%ID\\\"", "    unique-id-format \"%rt\"\n    log-format ")]
    [InlineData("sequence=\\\"%rt\\\"", "sequence=\\\"%[unique-id]\\\"", "    unique-id-format %rt\n    log-format ")]
    [InlineData("ip=\\\"%ci\\\"", "ip=\\\"%[src]\\\"")]
    [InlineData("server_pid=\\\"%pid\\\"", "server_pid=\\\"%[pid]\\\"")]
    [InlineData("capture request header User-Agent len 1024", "capture request header user-agent len 1024")]
    public void Benign_variants_pass(string replace, string with, string? inDefaults = null)
    {
        Baseline.Should().Contain(replace);
        var text = Baseline.Replace(replace, with, StringComparison.Ordinal);
        if (inDefaults is not null)
        {
            text = text.ReplaceOnce("    log-format ", inDefaults);
        }

        Check(text).Should().BeEmpty();
    }

    [Theory]
    [InlineData("    capture request header Referer len 1024\n    capture request header User-Agent len 1024", "    capture request header User-Agent len 1024\n    capture request header Referer len 1024", "capture request header User-Agent len 1024", "request capture slot 1 of listen 'tls' captures 'User-Agent' but the schema puts 'Referer' there")]
    [InlineData("    capture request header Host len 255\n", "    capture request header Host len 255\n    capture request header Cookie len 64\n", "capture request header Cookie", "request capture slot 1 of listen 'tls' captures 'Cookie' but the schema puts 'Referer' there")]
    [InlineData("    capture response header Server len 64\n", "", "listen tls", "response capture slot 4 of listen 'tls' is missing")]
    [InlineData("capture request header Range len 10", "capture request header Range len 20", "capture request header Range len 20", "('Range') has len 20, the schema 10")]
    [InlineData("    capture response header X-Cache len 96", "    capture request header X-Cache len 96", "    capture request header X-Cache", "request capture slot 7 ('X-Cache') is not in the schema")]
    [InlineData("[haproxykafka@0\\ ", "[haproxykafka@1\\ ", "log-format-sd", "SD-ID 'haproxykafka@1', the schema 'haproxykafka@0'")]
    [InlineData("referer=", "referrer=", "log-format-sd", "parameter 'referrer' carries what the schema calls 'referer' (%[capture.req.hdr(1)]): renamed")]
    [InlineData("uri_host=\\\"%[capture.req.hdr(0)]\\\"", "uri_host=\\\"%[req.fhdr(Host)]\\\"", "log-format-sd", "log-format-sd uses %[req.fhdr(Host)]: HAProxy refuses header fetches in log formats")]
    [InlineData("backend=\\\"%[capture.res.hdr(4)]\\\"", "backend=\\\"%[res.fhdr(Server)]\\\"", "log-format-sd", "log-format-sd uses %[res.fhdr(Server)]: HAProxy refuses")]
    [InlineData("{%[capture.res.hdr(0)]} %ts", "{%[res.hdr(X-Cache-Status)]} %ts", "log-format \"", "log-format uses %[res.hdr(X-Cache-Status)]: HAProxy refuses")]
    [InlineData("%Tc %ST {", "%Tc %B {", "log-format \"", "log-format (the MSG part) is '%rt %Tr %Tw %Tc %B {%[capture.req.hdr(0)]} {%[capture.res.hdr(0)]} %ts', the schema's message is")]
    [InlineData("sequence=\\\"%rt\\\"", "sequence=\\\"%ID\\\"", "log-format-sd", "parameter 'sequence' is '%ID', the schema reads '%rt'")]
    [InlineData("\\ ip=", "\\ $schema=\\\"/webrequest/1.0.0\\\"\\ ip=", "log-format-sd", "parameter '$schema' is not in the schema")]
    [InlineData("http-response capture res.fhdr(Server) id 4", "http-response capture res.hdr(Server) id 4", "http-response capture res.hdr(Server) id 4", "uses a hdr() fetch, which keeps only the last comma-separated part of 'Server'")]
    [InlineData("\\ range=\\\"%[capture.req.hdr(4)]\\\"\\ accept=\\\"%[capture.req.hdr(5)]\\\"", "\\ accept=\\\"%[capture.req.hdr(5)]\\\"\\ range=\\\"%[capture.req.hdr(4)]\\\"", "log-format-sd", "parameter 'range' is out of order: the schema has it at position 13 (reordered)")]
    [InlineData("log-format-sd %{+E}o\\ [", "log-format-sd [", "log-format-sd", "does not start with %{+E}o")]
    [InlineData("user_agent=\\\"%[capture.req.hdr(2)]\\\"", "user_agent=\\\"%[req.hdr(User-Agent)]\\\"", "log-format-sd", "log-format-sd uses %[req.hdr(User-Agent)]: HAProxy refuses header fetches")]
    [InlineData("http-request capture req.fhdr(Referer) id 1", "http-request capture req.hdr(Referer) id 1", "http-request capture req.hdr(Referer) id 1", "uses a hdr() fetch, which keeps only the last comma-separated part of 'Referer'")]
    [InlineData("http_status=\\\"%ST\\\"", "http_status=%{+Q}ST", "log-format-sd", "'http_status' is not between")]
    [InlineData("len 8192 format rfc5424", "len 2048 format rfc5424", "len 2048 format rfc5424", "logger len 2048 is below the")]
    [InlineData("tune.http.logurilen 2048", "tune.http.logurilen 1024", "tune.http.logurilen 1024", "tune.http.logurilen is 1024")]
    [InlineData("log /var/run/haproxykafka/haproxykafka.sock", "log /var/run/haproxykafka/other.sock", "log /var/run/haproxykafka/other.sock", "the rfc5424 logger writes to '/var/run/haproxykafka/other.sock', not the forwarder's socket")]
    [InlineData("    log /var/run/haproxykafka/haproxykafka.sock len 8192 format rfc5424 local0 info\n", "", "global", "no global logger targets the forwarder socket")]
    [InlineData("format rfc5424", "format rfc3164", "format rfc3164", "uses format 'rfc3164'")]
    [InlineData("http-request capture req.fhdr(X-Analytics-TLS) id 6\n    server", "http-request capture req.fhdr(X-Analytics-TLS) id 7\n    server", "req.fhdr(X-Analytics-TLS) id 7", "fills request capture slot 7, which is never declared")]
    [InlineData("    declare capture request len 255\n", "    declare capture request len 255\n    declare capture request len 10\n", "declare capture request len 10", "request capture slot 1 of frontend 'http' ('Referer') has len 10, the schema 1024")]
    [InlineData("http-request capture req.fhdr(Range) id 4", "http-request capture req.fhdr(Range) id 3", "req.fhdr(Range) id 3", "request capture slot 3 is filled twice")]
    public void Drift_is_caught_on_the_right_line(string replace, string with, string lineText, string expected)
    {
        Baseline.Should().Contain(replace);
        var text = Baseline.Replace(replace, with, StringComparison.Ordinal);

        var findings = Check(text);

        var finding = findings.Should().Contain(f => f.Message.Contains(expected), string.Join('\n', findings)).Subject;
        finding.Line.Should().Be(LineOf(text, lineText), finding.ToString());
        finding.ToString().Should().StartWith($"haproxy.cfg:{finding.Line}: ");
    }

    [Fact]
    public void A_fingerprint_from_another_schema_is_caught()
    {
        var findings = Check(Baseline.Replace(Fingerprint.Of(Schema), "0000000000000000", StringComparison.Ordinal));

        findings.Should().ContainSingle().Which.Message.Should().Contain("carries fingerprint '0000000000000000'");
    }

    [Fact]
    public void Environment_variables_in_double_quotes_are_expanded_like_haproxy()
    {
        var text = Baseline.Replace("log /var/run/haproxykafka/haproxykafka.sock", "log \"${SOCK_DIR}/haproxykafka.sock\"", StringComparison.Ordinal);

        HaproxyConformance.Check(Schema, HaproxyConfigFile.Parse("haproxy.cfg", text, new Dictionary<string, string> { ["SOCK_DIR"] = "/var/run/haproxykafka" }))
            .Should().BeEmpty();
        Check(text).Should().ContainSingle(f => f.Message.Contains("environment variable 'SOCK_DIR' is not set") && f.Severity == Severity.Warning)
            .Which.Line.Should().Be(LineOf(text, "${SOCK_DIR}"), "the finding is at the line that uses the variable");
    }

    [Fact]
    public void Id_is_only_the_schemas_item_when_unique_id_format_writes_it_the_same_way()
    {
        var text = Baseline.ReplaceOnce("sequence=\\\"%rt\\\"", "sequence=\\\"%ID\\\"").ReplaceOnce("    log-format \"", "    unique-id-format %{+X}rt\n    log-format \"");

        Check(text).Should().ContainSingle().Which.Message.Should().Contain("parameter 'sequence' is '%ID', the schema reads '%rt'");
    }
}
