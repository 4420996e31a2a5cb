using System.Text;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Tests;

public class FingerprintTests
{
    private static string Of(string text) => Fingerprint.Of(Load(text));

    private static LogSchema Load(string text) => SchemaLoader.Load(text, SchemaText.File).Schema!;

    [Fact]
    public void Is_16_lower_hex_and_stable()
    {
        Of(SchemaText.Valid).Should().MatchRegex("^[0-9a-f]{16}$").And.Be(Of(SchemaText.Valid));
    }

    [Fact]
    public void Hashes_the_sd_layout_as_the_schema_spells_it()
    {
        // Pins the definition: SD-ID, params in order, each with its source as the schema spells it (a capture
        // also by its slot, its header lower-cased), the fingerprint param last. Nothing else.
        var canonical = Encoding.UTF8.GetString(Fingerprint.Canonical(Load(SchemaText.Valid)));

        canonical.Should().Be(
            """{"layout":1,"sd_id":"hk@0","params":["""
            + """{"sd":"pid","item":"%pid"},"""
            + """{"sd":"status","item":"%ST"},"""
            + """{"sd":"agent","capture":"request","slot":1,"header":"user-agent"},"""
            + """{"sd":"ctype","capture":"response","slot":0,"header":"content-type"},"""
            + """{"sd":"path","item":"%HPO"},"""
            + """{"sd":"query","item":"%HQ"},"""
            + """{"sd":"dt","item":"%tr"},"""
            + """{"sd":"ttfb","item":"%Tr"},"""
            + """{"sd":"schema_fp"}]}""");
    }

    [Fact]
    public void Spells_a_variable_with_its_scope_as_written()
    {
        var text = SchemaText.Replace("source: \"response:Content-Type\", type: string", "source: \"var(txn.Content_Type)\", max_length: 32, type: string");

        Encoding.UTF8.GetString(Fingerprint.Canonical(Load(text))).Should().Contain("""{"sd":"ctype","var":"txn.Content_Type"}""");
    }

    [Theory]
    [InlineData("name: test", "# a comment\nname: test   # trailing")]
    [InlineData("sd_id: hk@0", "sd_id: 'hk@0'")]
    [InlineData("{ sd: status, source: \"%ST\", type: string }", "{ source: \"%ST\", sd: status }")]
    [InlineData("{ sd: pid, source: \"%pid\", type: integer, required: true }", "{ sd: pid, json: pid, source: \"%pid\", type: integer, required: true, transform: none, absent: null }")]
    [InlineData("    - { header: Host, len: 64 }", "    - header: Host\n      len: 64")]
    public void Ignores_formatting_comments_and_spelled_out_defaults(string replace, string with)
    {
        Of(SchemaText.Replace(replace, with)).Should().Be(Of(SchemaText.Valid));
    }

    [Theory]
    [InlineData("{ sd: status,", "{ sd: state,")]
    [InlineData("source: \"%ST\"", "source: \"%B\"")]
    [InlineData("sd_id: hk@0", "sd_id: hk@1")]
    public void Changes_with_the_sd_layout(string replace, string with)
    {
        Of(SchemaText.Replace(replace, with)).Should().NotBe(Of(SchemaText.Valid));
    }

    [Theory]
    [InlineData("json: user_agent", "json: ua")]
    [InlineData("{ header: User-Agent, len: 128 }", "{ header: User-Agent, len: 129 }")]
    [InlineData("absent: dash", "absent: null")]
    [InlineData("name: test", "name: other")]
    public void Ignores_what_only_the_forwarder_or_deployment_decides(string replace, string with)
    {
        Of(SchemaText.Replace(replace, with)).Should().Be(Of(SchemaText.Valid));
    }

    [Fact]
    public void Changes_when_captures_are_reordered_because_slots_move()
    {
        var swapped = SchemaText.Replace("    - { header: Host, len: 64 }\n    - { header: User-Agent, len: 128 }", "    - { header: User-Agent, len: 128 }\n    - { header: Host, len: 64 }");

        Of(swapped).Should().NotBe(Of(SchemaText.Valid));
    }
}
