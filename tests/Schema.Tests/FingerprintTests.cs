using HaproxyKafka.Schema.Loading;

namespace HaproxyKafka.Schema.Tests;

public class FingerprintTests
{
    private static string Of(string text) => Fingerprint.Of(SchemaLoader.Load(text, SchemaText.File).Schema!);

    [Fact]
    public void Is_16_lower_hex_and_stable()
    {
        Of(SchemaText.Valid).Should().MatchRegex("^[0-9a-f]{16}$").And.Be(Of(SchemaText.Valid));
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
    [InlineData("json: user_agent", "json: ua")]
    [InlineData("{ header: User-Agent, len: 128 }", "{ header: User-Agent, len: 129 }")]
    [InlineData("sd_id: hk@0", "sd_id: hk@1")]
    [InlineData("absent: dash", "absent: null")]
    public void Changes_with_anything_that_changes_meaning(string replace, string with)
    {
        Of(SchemaText.Replace(replace, with)).Should().NotBe(Of(SchemaText.Valid));
    }

    [Fact]
    public void Changes_when_captures_are_reordered_because_slots_move()
    {
        var swapped = SchemaText.Replace("    - { header: Host, len: 64 }\n    - { header: User-Agent, len: 128 }", "    - { header: User-Agent, len: 128 }\n    - { header: Host, len: 64 }");

        Of(swapped).Should().NotBe(Of(SchemaText.Valid));
    }
}
