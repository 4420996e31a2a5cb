using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using HaproxyKafka.Contract;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.TestSupport;
using Json.Schema;

namespace HaproxyKafka.Generator.Tests.Rendering;

/// <summary>
/// The generated message schema, checked with a real validator (JsonSchema.Net): the draft 2020-12 meta-schema
/// accepts it, every message the forwarder's own mapper writes passes it, and a message with a wrong type, a missing
/// required property or an extra property fails it, so it is not vacuous.
/// </summary>
public class MessageSchemaTests
{
    private static readonly Schema.Model.LogSchema Shipped = SchemaLoader.LoadFile(RepoPaths.Schema).Schema!;

    private static readonly string CheckedIn = File.ReadAllText(Path.Combine(RepoPaths.Generated, "schemas", "webrequest.json"));

    private static readonly JsonSchema Validator = JsonSchema.FromText(CheckedIn);

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>The daemon's side: the checked-in parser table read by the daemon's loader.</summary>
    private static readonly ParserTable Table = ParserTableLoader.Load(Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json"));

    private static readonly byte[][] Samples =
    [
        .. Corpus.Text("samples.log").Split('\n').Where(l => l.StartsWith('<')).Select(l => Encoding.UTF8.GetBytes(l + "\n")),
    ];

    [Fact]
    public void The_checked_in_schema_is_what_the_generator_writes()
    {
        var artifact = ArtifactGenerator.Render(Shipped, TemplateSet.Load(RepoPaths.Templates)).Single(a => a.RelativePath == "schemas/webrequest.json");

        artifact.Content.Should().Be(CheckedIn).And.EndWith("}\n");
    }

    [Fact]
    public void The_draft_2020_12_meta_schema_accepts_it()
    {
        using var document = JsonDocument.Parse(CheckedIn);

        var result = MetaSchemas.Draft202012.Evaluate(document.RootElement, Options);

        result.IsValid.Should().BeTrue(Errors(result));
        document.RootElement.GetProperty("$schema").GetString().Should().Be("https://json-schema.org/draft/2020-12/schema");
        document.RootElement.GetProperty("$comment").GetString().Should().Contain($"(fingerprint {Fingerprint.Of(Shipped)})");
    }

    [Fact]
    public void The_meta_schema_rejects_a_misspelled_type()
    {
        using var document = JsonDocument.Parse(CheckedIn.Replace("\"type\": \"integer\"", "\"type\": \"integr\"", StringComparison.Ordinal));

        MetaSchemas.Draft202012.Evaluate(document.RootElement, Options).IsValid.Should().BeFalse();
    }

    [Fact]
    public void It_says_what_the_mapper_writes()
    {
        var root = JsonNode.Parse(CheckedIn)!.AsObject();
        var properties = root["properties"]!.AsObject();

        properties.Select(p => p.Key).Should().Equal(Table.Fields.Select(f => f.Json).Concat(Table.Added.Select(a => a.Json)));
        properties["server_pid"]!["type"]!.GetValue<string>().Should().Be("integer");
        properties["time_firstbyte"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("number", "null");
        properties["response_size"]!["type"]!.GetValue<string>().Should().Be("integer");
        properties["dt"]!["format"]!.GetValue<string>().Should().Be("date-time");
        properties["user_agent"]!["type"]!.GetValue<string>().Should().Be("string");
        root["additionalProperties"]!.GetValue<bool>().Should().BeFalse();
        root["required"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Contain(["server_pid", "uri_path", "hostname"]);
    }

    [Fact]
    public void Every_corpus_line_the_mapper_forwards_validates()
    {
        var mapped = Samples.Select(Map).OfType<string>().ToList();

        mapped.Should().HaveCountGreaterThan(2);
        foreach (var message in mapped)
        {
            var result = Evaluate(message);
            result.IsValid.Should().BeTrue($"{message}\n{Errors(result)}");
        }
    }

    [Fact]
    public void Every_mutated_line_the_mapper_forwards_validates()
    {
        Prop.ForAll(DatagramMutations.Of(Samples[0]).ToArbitrary(), datagram => Map(datagram) is not { } message || Evaluate(message).IsValid)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Theory]
    [InlineData("server_pid", "\"31556\"", "type")]
    [InlineData("response_size", "null", "type")]
    [InlineData("time_firstbyte", "\"0.5\"", "type")]
    [InlineData("user_agent", "null", "type")]
    [InlineData("dt", "\"22/Nov/2026:00:09:27.173\"", "pattern")]
    public void A_wrongly_typed_property_fails(string property, string json, string keyword)
    {
        var message = Valid();
        message[property] = JsonNode.Parse(json);

        var result = Evaluate(message.ToJsonString());

        result.IsValid.Should().BeFalse();
        Errors(result).Should().Contain(keyword).And.Contain(property);
    }

    [Theory]
    [InlineData("server_pid")]
    [InlineData("uri_host")]
    [InlineData("hostname")]
    public void A_missing_required_property_fails(string property)
    {
        var message = Valid();
        message.Remove(property).Should().BeTrue();

        var result = Evaluate(message.ToJsonString());

        result.IsValid.Should().BeFalse();
        Errors(result).Should().Contain("required").And.Contain(property);
    }

    [Fact]
    public void An_extra_property_fails()
    {
        var message = Valid();
        message["schema_fp"] = "9dc8d242b2e2c614";

        var result = Evaluate(message.ToJsonString());

        result.IsValid.Should().BeFalse();
        Errors(result).Should().Contain("schema_fp");
    }

    [Fact]
    public void Absent_rules_give_the_types_the_mapper_writes()
    {
        var message = Valid();
        message["time_firstbyte"] = null;
        message["termination_state"] = null;
        message["response_size"] = 0;
        message["referer"] = "-";
        message["uri_query"] = string.Empty;

        var result = Evaluate(message.ToJsonString());

        result.IsValid.Should().BeTrue(Errors(result));
    }

    [Fact]
    public void An_omitted_field_is_not_required_and_a_constant_is_pinned()
    {
        var text = File.ReadAllText(RepoPaths.Schema)
            .Replace("{ sd: termination_state, source: \"%ts\", type: string }", "{ sd: termination_state, source: \"%ts\", type: string, absent: omit }", StringComparison.Ordinal)
            .Replace("  - { json: webrequest_source, from: cluster }", "  - { json: webrequest_source, from: cluster }\n  - { json: pipeline, from: constant, value: v2 }", StringComparison.Ordinal);
        using var set = new GeneratedSet(text);

        var root = JsonNode.Parse(set.Read("schemas/webrequest.json"))!.AsObject();

        root["required"]!.AsArray().Select(r => r!.GetValue<string>()).Should().NotContain("termination_state").And.Contain("pipeline");
        root["properties"]!["termination_state"]!["type"]!.GetValue<string>().Should().Be("string");
        root["properties"]!["pipeline"]!["const"]!.GetValue<string>().Should().Be("v2");
    }

    /// <summary>A message the mapper wrote from the first corpus line.</summary>
    private static JsonObject Valid() => JsonNode.Parse(Map(Samples[0])!)!.AsObject();

    private static string? Map(byte[] datagram)
    {
        var output = new JsonBuffer();
        var result = new LineMapper(Table, "cp3050.esams.wmnet", "text", TimeZoneInfo.Utc).Map(datagram, output);
        return result.IsMessage ? Encoding.UTF8.GetString(output.Written) : null;
    }

    private static EvaluationResults Evaluate(string message)
    {
        using var document = JsonDocument.Parse(message);
        return Validator.Evaluate(document.RootElement, Options);
    }

    private static string Errors(EvaluationResults result) =>
        string.Join('\n', (result.Details ?? []).Prepend(result)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}) {e.Key}: {e.Value}")));
}
