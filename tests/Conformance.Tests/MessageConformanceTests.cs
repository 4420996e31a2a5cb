using System.Text;
using System.Text.Json.Nodes;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

public class MessageConformanceTests
{
    /// <summary>What the forwarder's mapper writes for each conforming corpus line, with the table the schema generates.</summary>
    private static readonly string[] Mapped =
    [
        .. Corpus.Text("samples.log").Split('\n').Where(l => l.StartsWith('<')).Select(l =>
        {
            var output = new JsonBuffer();
            var result = new LineMapper(ShippedExpectations.Value.ParserTable, "cp3050.esams.wmnet", "text", TimeZoneInfo.Utc)
                .Map(Encoding.UTF8.GetBytes(l + "\n"), output);
            return result.IsMessage ? Encoding.UTF8.GetString(output.Written) : null;
        }).OfType<string>(),
    ];

    [Fact]
    public void Messages_the_forwarder_writes_conform()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("messages.jsonl"), ["# read with kcat -C -e", .. Mapped]);

        var (findings, covered) = MessageConformance.Check(ShippedExpectations.Value, dir.File("messages.jsonl"));

        Mapped.Should().HaveCountGreaterThan(2);
        findings.Should().BeEmpty(string.Join('\n', findings));
        covered.Should().Be($"{Mapped.Length} message(s) against schemas/webrequest.json: {Mapped.Length} conform, 0 do not");
    }

    [Fact]
    public void Each_bad_message_is_reported_on_its_line_with_the_validators_reason()
    {
        using var dir = new TempDirectory();
        var wrongType = JsonNode.Parse(Mapped[0])!.AsObject();
        wrongType["server_pid"] = "31556";
        var missing = JsonNode.Parse(Mapped[0])!.AsObject();
        missing.Remove("uri_host");
        var extra = JsonNode.Parse(Mapped[0])!.AsObject();
        extra["schema_fp"] = "9dc8d242b2e2c614";
        File.WriteAllLines(dir.File("messages.jsonl"), [Mapped[0], wrongType.ToJsonString(), missing.ToJsonString(), extra.ToJsonString(), "{not json"]);

        var (findings, covered) = MessageConformance.Check(ShippedExpectations.Value, dir.File("messages.jsonl"));

        findings.Select(f => f.Line).Should().Equal([2, 3, 4, 5], string.Join('\n', findings));
        findings.Should().OnlyContain(f => f.Severity == Severity.Error);
        findings[0].Message.Should().Contain("does not match schemas/webrequest.json").And.Contain("/server_pid (type)");
        findings[1].Message.Should().Contain("(required)").And.Contain("uri_host");
        findings[2].Message.Should().Contain("schema_fp");
        findings[3].Message.Should().StartWith("not a JSON message");
        covered.Should().Be("5 message(s) against schemas/webrequest.json: 1 conform, 4 do not");
    }

    [Fact]
    public void An_empty_message_file_is_a_warning_not_a_pass()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("empty.jsonl"), "\n");

        var (findings, _) = MessageConformance.Check(ShippedExpectations.Value, dir.File("empty.jsonl"));

        findings.Should().ContainSingle().Which.Severity.Should().Be(Severity.Warning);
    }
}
