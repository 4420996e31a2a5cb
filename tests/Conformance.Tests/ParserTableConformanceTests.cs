using HaproxyKafka.Conformance;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

public class ParserTableConformanceTests
{
    private static readonly string Generated = File.ReadAllText(Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json"));

    private static (IReadOnlyList<Finding> Findings, string Text) Check(Func<string, string> edit)
    {
        using var dir = new TempDirectory();
        var path = dir.File("parser-table.json");
        var text = edit(Generated);
        File.WriteAllText(path, text);
        return (ParserTableConformance.Check(ShippedExpectations.Value, path), text);
    }

    [Fact]
    public void The_generated_table_conforms()
    {
        Check(t => t).Findings.Should().BeEmpty();
    }

    [Fact]
    public void A_hand_edit_that_keeps_the_fingerprint_is_caught_on_the_field()
    {
        var (findings, text) = Check(t => t.ReplaceOnce("\"sd\": \"response_size\",\n      \"json\": \"response_size\",\n      \"type\": \"integer\"", "\"sd\": \"response_size\",\n      \"json\": \"response_size\",\n      \"type\": \"string\""));

        findings.Should().ContainSingle().Which.Should().Match<Finding>(f =>
            f.Line == TextPosition.LineOf(text, "\"sd\": \"response_size\"") &&
            f.Message.Contains("field 7 is {sd response_size, json response_size, type string,") && f.Message.Contains("the schema generates {sd response_size, json response_size, type integer,"));
    }

    [Fact]
    public void A_table_from_another_schema_is_caught_on_its_fingerprint()
    {
        var (findings, text) = Check(t => t.ReplaceOnce($"\"fingerprint\": \"{Corpus.Fingerprint}\"", "\"fingerprint\": \"0123456789abcdef\""));

        findings.Should().ContainSingle().Which.Line.Should().Be(TextPosition.LineOf(text, "\"fingerprint\""));
    }

    [Theory]
    [InlineData("cut", "not valid JSON")]
    [InlineData("no fields", "not a parser table: ")]
    [InlineData("added not a list", "not a parser table: ")]
    public void A_damaged_table_is_a_finding_not_a_crash(string damage, string expected)
    {
        var (findings, _) = Check(t => damage switch
        {
            "cut" => t[..200],
            "no fields" => t.ReplaceOnce("\"fields\":", "\"felds\":"),
            _ => t.ReplaceOnce("\"added\": [", "\"added\": {\"x\": 1}, \"unused\": ["),
        });

        findings.Should().ContainSingle().Which.Message.Should().Contain(expected);
    }
}
