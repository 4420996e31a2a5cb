using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;

namespace HaproxyKafka.Schema.Tests.Validation;

/// <summary>Every class of mistake yields an error that names the place, what is wrong and how to fix it.</summary>
public class ValidationErrorTests
{
    [Fact]
    public void Valid_schema_has_no_diagnostics()
    {
        var result = SchemaLoader.Load(SchemaText.Valid, SchemaText.File);

        result.Diagnostics.Should().BeEmpty();
        result.Succeeded.Should().BeTrue();
    }

    [Theory]
    // what to replace, with what, the text on the line the error must point at, and words the message must hold
    [InlineData("    - { header: Host, len: 64 }", "    - { header: Host, len: 64 ]", "    - { header: Host, len: 64 ]", "YAML syntax")]
    [InlineData("  logurilen: 1024", "  logurilen: 1024\n  loguriln: 5", "loguriln", "unknown key 'haproxy.loguriln'; did you mean 'logurilen'?")]
    [InlineData("{ sd: status, source", "{ sd: status, sorce: x, source", "sd: status", "unknown key 'fields[].sorce'; did you mean 'source'?")]
    [InlineData("{ sd: status,", "{ sd: pid,", "sd: pid, source: \"%ST\"", "SD parameter 'pid' is defined twice")]
    [InlineData("{ sd: status,", "{ sd: status, json: user_agent,", "sd: agent", "JSON key 'user_agent' is produced twice")]
    [InlineData("source: \"%ST\"", "source: \"%XY\"", "%XY", "'%XY' is not a HAProxy log item")]
    [InlineData("{ header: Content-Type, len: 32 }", "{ header: \"Content Type\", len: 32 }", "Content Type", "header name 'Content Type' contains U+0020")]
    [InlineData("{ header: Host, len: 64 }", "{ header: Host, len: 0 }", "header: Host, len: 0", "capture length 0 for 'Host' is out of range")]
    [InlineData("{ header: Host, len: 64 }", "{ header: Host, len: 99999 }", "header: Host, len: 99999", "capture length 99999")]
    [InlineData("sd_id: hk@0", "sd_id: \"hk 0\"", "name: test", "sd_id 'hk 0' contains U+0020")]
    [InlineData("sd_id: hk@0", "sd_id: hk", "name: test", "not of the form name@number")]
    [InlineData("{ sd: status,", "{ sd: \"st=atus\",", "st=atus", "contains '=', which RFC 5424 forbids")]
    [InlineData("{ sd: status,", "{ sd: \"st]atus\",", "st]atus", "contains ']'")]
    [InlineData("{ sd: status,", "{ sd: abcdefghijklmnopqrstuvwxyz0123456789,", "abcdefghij", "is 36 characters long; RFC 5424 allows 1 to 32")]
    [InlineData("{ sd: status,", "{ sd: \"st\\u0001atus\",", "st\\u0001atus", "contains U+0001")]
    [InlineData("socket: /run/hk.sock", "socket: \"/run/hk.sock\\nlog 127.0.0.1 local0\"", "socket: ", "contains a line break")]
    [InlineData("message: \"%ST {@{request:Host}}\"", "message: '%ST \" {@{request:Host}}'", "message:", "contains a line break or '\"'")]
    [InlineData("{ sd: ctype, source: \"response:Content-Type\"", "{ sd: ctype, source: \"response:Content-Typ\"", "sd: ctype", "reads response header 'Content-Typ', which is not captured")]
    [InlineData("message: \"%ST {@{request:Host}}\"", "message: \"%ST {@{request:Hots}}\"", "message:", "refers to request header 'Hots', which is not captured")]
    [InlineData("type: integer, required: true", "type: integr, required: true", "type: integr", "'type' is 'integr', which is not a known type; did you mean 'integer'?")]
    [InlineData("{ sd: status, source: \"%ST\", type: string }", "{ sd: status, source: \"%ci\", type: integer }", "sd: status", "typed integer but '%ci' is not numeric")]
    [InlineData("type: number, transform: ms_to_seconds", "type: string, transform: ms_to_seconds", "sd: ttfb", "ms_to_seconds on 'ttfb' needs a numeric timer item")]
    [InlineData("{ sd: query, source: \"%HQ\", type: string, absent: empty }", "{ sd: query, source: \"%HQ\", type: string, absent: zero }", "sd: query", "'absent: zero' on 'query' needs a numeric type")]
    [InlineData("    len: 4096", "    len: 40", "len: 40", "logger len 40 is outside what HAProxy accepts")]
    [InlineData("    len: 4096", "    len: 900", "len: 900", "len 900 is too small")]
    [InlineData("facility: local0", "facility: local9", "facility: local9", "'local9' is not a syslog facility")]
    [InlineData("dlq_topic: topic_errors", "dlq_topic: \"bad topic\"", "name: test", "Kafka topic 'bad topic' is not a legal topic name")]
    [InlineData("{ sd: query,", "{ sd: schema_fp,", "sd: schema_fp", "reserved for the schema fingerprint")]
    [InlineData("{ sd: status, source: \"%ST\"", "{ sd: status, source: \"var(txn.status)\"", "sd: status", "add 'max_length: N'")]
    [InlineData("- { json: hostname, from: hostname }", "- { json: hostname, from: constant }", "json: hostname", "is a constant without a value")]
    [InlineData("    len: 4096", "    len: many", "len: many", "'haproxy.logger.len' is 'many', not a whole number")]
    [InlineData("sd_id: hk@0\n", "", "name: test", "'sd_id' is missing; add 'sd_id: haproxykafka@0'")]
    public void Reports_the_mistake_where_it_is(string replace, string with, string lineText, string expected)
    {
        var text = SchemaText.Replace(replace, with);

        var result = SchemaLoader.Load(text, SchemaText.File);

        result.Succeeded.Should().BeFalse();
        var diagnostic = result.Diagnostics.Should().ContainSingle(d => d.Severity == Severity.Error && d.ToString().Contains(expected), $"an error containing '{expected}' is expected among:\n{string.Join('\n', result.Diagnostics)}").Subject;
        diagnostic.Location.File.Should().Be(SchemaText.File);
        diagnostic.Location.Line.Should().Be(SchemaText.LineOf(text, lineText));
        diagnostic.Location.Column.Should().BeGreaterThan(0);
        diagnostic.Fix.Should().NotBeNullOrWhiteSpace();
        diagnostic.ToString().Should().MatchRegex(@"^test-schema\.yaml:\d+:\d+: error: .+; .+$");
    }

    [Fact]
    public void Reports_all_problems_in_one_run()
    {
        var text = SchemaText.Replace("{ sd: status,", "{ sd: pid,").Replace("len: 64 }", "len: 0 }").Replace("facility: local0", "facility: nope");

        var errors = SchemaLoader.Load(text, SchemaText.File).Diagnostics.Where(d => d.Severity == Severity.Error).ToList();

        // The duplicate 'pid' is both a duplicate SD parameter and a duplicate JSON key.
        errors.Select(e => e.Message).Should().SatisfyRespectively(
            m => m.Should().Contain("'nope' is not a syslog facility"),
            m => m.Should().Contain("capture length 0"),
            m => m.Should().Contain("SD parameter 'pid' is defined twice"),
            m => m.Should().Contain("JSON key 'pid' is produced twice"));
        errors.Select(e => e.Location.Line).Should().BeInAscendingOrder();
    }

    [Fact]
    public void A_capture_nothing_reads_is_a_warning_not_an_error()
    {
        var text = SchemaText.Replace("    - { header: Content-Type, len: 32 }", "    - { header: Content-Type, len: 32 }\n    - { header: Server, len: 16 }");

        var result = SchemaLoader.Load(text, SchemaText.File);

        result.Succeeded.Should().BeTrue();
        result.Diagnostics.Should().ContainSingle().Which.ToString().Should().Contain("warning: response header 'Server' is captured but no field or message uses it");
    }

    [Fact]
    public void A_header_captured_twice_is_an_error_on_the_second()
    {
        var text = SchemaText.Replace("    - { header: User-Agent, len: 128 }", "    - { header: User-Agent, len: 128 }\n    - { header: host, len: 12 }");

        var error = SchemaLoader.Load(text, SchemaText.File).Diagnostics.Single(d => d.Severity == Severity.Error);

        error.Message.Should().Contain("request header 'host' is captured twice (first at line 13)");
        error.Location.Line.Should().Be(SchemaText.LineOf(text, "header: host"));
    }
}
