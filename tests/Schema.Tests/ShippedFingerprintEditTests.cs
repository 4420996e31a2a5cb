using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Schema.Tests;

/// <summary>
/// Pins, edit by edit on the shipped schema, what the fingerprint covers: a change to the SD layout HAProxy writes
/// changes it (HAProxy and the parser table must then be deployed together), and a change only the forwarder or
/// the deployment sees does not (either side can be deployed alone).
/// </summary>
public class ShippedFingerprintEditTests
{
    private static readonly string Shipped = File.ReadAllText(RepoPaths.Schema);

    private const string ServerPid = "  - { sd: server_pid, source: \"%pid\", type: integer, required: true }\n";
    private const string Ip = "  - { sd: ip, source: \"%ci\", type: string, required: true }\n";
    private const string Referer = "    - { header: Referer, len: 1024 }\n";
    private const string UserAgent = "    - { header: User-Agent, len: 1024 }\n";
    private const string TlsFromCapture = "{ sd: tls, source: \"request:X-Analytics-TLS\", type: string, absent: dash }";
    private const string TlsFromVariable = "{ sd: tls, source: \"var(txn.tls)\", max_length: 96, type: string, absent: dash }";

    [Theory]
    [InlineData("rename an SD param", "{ sd: ip,", "{ sd: client_ip,")]
    [InlineData("reorder two params", ServerPid + Ip, Ip + ServerPid)]
    [InlineData("add a param", "  - { sd: uri_query,", "  - { sd: http_version, source: \"%HV\", type: string }\n  - { sd: uri_query,")]
    [InlineData("remove a param", "  - { sd: accept, source: \"request:Accept\", type: string, absent: dash }\n", "")]
    [InlineData("change a param's log item", "source: \"%ci\"", "source: \"%fi\"")]
    [InlineData("change a param's log item (case matters: %Tr is not %TR)", "source: \"%Tr\"", "source: \"%TR\"")]
    [InlineData("swap two captures, so their slots move", Referer + UserAgent, UserAgent + Referer)]
    [InlineData("insert a capture before the others, so their slots move", "  request:\n", "  request:\n    - { header: Via, len: 64 }\n")]
    [InlineData("capture another header for a param", "{ header: Range, len: 10 }", "{ header: If-Range, len: 10 }", "\"request:Range\"", "\"request:If-Range\"")]
    [InlineData("read a param from a variable instead of a capture", TlsFromCapture, TlsFromVariable)]
    [InlineData("change the SD-ID", "sd_id: haproxykafka@0", "sd_id: haproxykafka@1")]
    public void Changes_with_a_layout_edit(string edit, string from, string to, string? from2 = null, string? to2 = null)
    {
        Of(Edit(Shipped, from, to, from2, to2)).Should().NotBe(Of(Shipped), "'{0}' changes the line HAProxy writes", edit);
    }

    [Fact]
    public void Changes_with_a_variable_name()
    {
        var fromVariable = Edit(Shipped, TlsFromCapture, TlsFromVariable);

        Of(Edit(fromVariable, "var(txn.tls)", "var(txn.tls_version)")).Should().NotBe(Of(fromVariable));
    }

    [Theory]
    [InlineData("change a JSON key", "json: time_firstbyte", "json: ttfb")]
    [InlineData("give a param its own JSON key", "{ sd: ip, source:", "{ sd: ip, json: client_ip, source:")]
    [InlineData("change a type", "{ sd: http_status, source: \"%ST\", type: string", "{ sd: http_status, source: \"%ST\", type: integer")]
    [InlineData("remove a transform", "type: string, transform: empty_to_slash }", "type: string }")]
    [InlineData("make a required param optional", Ip, "  - { sd: ip, source: \"%ci\", type: string }\n")]
    [InlineData("change an absent rule", "absent: zero", "absent: null")]
    [InlineData("change a capture len", "{ header: User-Agent, len: 1024 }", "{ header: User-Agent, len: 512 }")]
    [InlineData("capture at header parsing instead of after rules", "{ header: X-Analytics-TLS, len: 96, after_rules: true }", "{ header: X-Analytics-TLS, len: 96 }")]
    [InlineData("change a captured header's case (HAProxy ignores it)", "{ header: Host, len: 255 }", "{ header: HOST, len: 255 }")]
    [InlineData("append a capture no param reads (no slot moves)", "    - { header: Server, len: 64 }\n", "    - { header: Server, len: 64 }\n    - { header: Via, len: 64 }\n")]
    [InlineData("change the logger len", "len: 8192", "len: 16384")]
    [InlineData("change the socket path", "socket: /var/run/haproxykafka/haproxykafka.sock", "socket: /run/hk/forwarder.sock")]
    [InlineData("change facility and level", "facility: local0", "facility: local1", "level: info", "level: notice")]
    [InlineData("change logurilen", "logurilen: 2048", "logurilen: 1024")]
    [InlineData("change the MSG template", "message: \"%rt %Tr %Tw %Tc %ST {@{request:Host}} {@{response:X-Cache-Status}} %ts\"", "message: \"%ST %ts\"")]
    [InlineData("change a topic", "text: webrequest_frontend_text", "text: webrequest_text")]
    [InlineData("add a cluster", "    upload: webrequest_frontend_upload\n", "    upload: webrequest_frontend_upload\n    misc: webrequest_misc\n")]
    [InlineData("change the dlq topic", "dlq_topic: webrequest_errors", "dlq_topic: webrequest_dlq")]
    [InlineData("add an added field", "  - { json: webrequest_source, from: cluster }\n", "  - { json: webrequest_source, from: cluster }\n  - { json: pipeline, from: constant, value: v2 }\n")]
    [InlineData("rename the schema", "name: webrequest\n", "name: webrequest_v2\n")]
    [InlineData("add and remove comments", "sd_id: haproxykafka@0\n", "sd_id: haproxykafka@0   # the SD-ID\n", "# Fields the forwarder adds to every message itself.\n", "")]
    [InlineData("reorder keys and change quoting", ServerPid, "  - { required: true, type: integer, source: '%pid', sd: \"server_pid\" }\n")]
    [InlineData("block style instead of flow style", "    - { header: Host, len: 255 }\n", "    - header: Host\n      len: 255\n")]
    [InlineData("spell out defaults", Ip, "  - { sd: ip, json: ip, source: \"%ci\", type: string, required: true, transform: none, absent: null }\n")]
    public void Ignores_an_edit_only_the_forwarder_or_deployment_sees(string edit, string from, string to, string? from2 = null, string? to2 = null)
    {
        Of(Edit(Shipped, from, to, from2, to2)).Should().Be(Of(Shipped), "'{0}' leaves the SD layout as it was", edit);
    }

    private static string Edit(string text, string from, string to, string? from2 = null, string? to2 = null)
    {
        var edited = ReplaceOnce(text, from, to);
        return from2 is null ? edited : ReplaceOnce(edited, from2, to2!);
    }

    private static string ReplaceOnce(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        at.Should().BeGreaterThanOrEqualTo(0, "the edit must find '{0}' in the shipped schema", from);
        text.IndexOf(from, at + 1, StringComparison.Ordinal).Should().Be(-1, "the edit must find '{0}' only once", from);
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }

    private static string Of(string text)
    {
        var result = SchemaLoader.Load(text, RepoPaths.Schema);
        result.Diagnostics.Where(d => d.Severity == Severity.Error).Should().BeEmpty("an edit must leave a valid schema");
        return Fingerprint.Of(result.Schema!);
    }
}
