using System.Text.Json;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Generator.Rendering;
using Json.Schema;

namespace HaproxyKafka.Conformance;

/// <summary>
/// A file of captured Kafka messages (one JSON message per line, e.g. from <c>kcat -C -e</c>), each validated against
/// the JSON Schema the generator writes for the schema (<c>schemas/NAME.json</c>), with JsonSchema.Net.
/// </summary>
public static class MessageConformance
{
    private const int MaxListed = 100;

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static (IReadOnlyList<Finding> Findings, string Covered) Check(SchemaExpectations expected, string file)
    {
        var schemaPath = MessageSchema.PathFor(expected.Schema.Name);
        // A registry of its own: the global one refuses a second, different schema under the same $id (another schema's run).
        var schema = JsonSchema.FromText(expected.Content(schemaPath), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var findings = new List<Finding>();
        var (messages, bad, number) = (0, 0, 0);
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            messages++;
            var problem = Problem(schema, line, schemaPath);
            if (problem is null)
            {
                continue;
            }

            if (++bad <= MaxListed)
            {
                findings.Add(new Finding(file, number, Severity.Error, problem, "deploy the forwarder with the parser table generated from this schema, or regenerate"));
            }
        }

        if (bad > MaxListed)
        {
            findings.Add(new Finding(file, number, Severity.Error, $"{bad - MaxListed} more non-conforming messages are not listed", "fix the first ones and run again"));
        }

        if (messages == 0)
        {
            findings.Add(new Finding(file, 1, Severity.Warning, "the message file has no messages, so nothing was checked", "capture a few messages from the topic into it (kcat -C -e)"));
        }

        return (findings, $"{messages} message(s) against {schemaPath}: {messages - bad} conform, {bad} do not");
    }

    private static string? Problem(JsonSchema schema, string line, string schemaPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return $"not a JSON message: {e.Message}";
        }

        using (document)
        {
            var result = schema.Evaluate(document.RootElement, Options);
            if (result.IsValid)
            {
                return null;
            }

            var errors = (result.Details ?? []).Prepend(result)
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{Where(d.InstanceLocation.ToString())} ({e.Key}): {e.Value}"))
                .Distinct();
            return $"message does not match {schemaPath}: {string.Join("; ", errors)}";
        }
    }

    private static string Where(string pointer) => pointer.Length == 0 ? "the message" : pointer;
}
