using System.Collections.Immutable;
using System.Text.Json;
using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Contract;

/// <summary>Reads a generated parser table; a damaged or hand-edited file is an error naming the file and line.</summary>
public static class ParserTableLoader
{
    public static ParserTable Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, 1, $"cannot read the parser table: {e.Message}", "check 'parser_table' in the forwarder config; generate it with 'haproxykafka-schema generate'");
        }

        return Parse(bytes, path);
    }

    public static ParserTable Parse(ReadOnlySpan<byte> json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw Invalid(file, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON: {e.Message}", "regenerate it with 'haproxykafka-schema generate' instead of editing it");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, file);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
            {
                // Valid JSON of the wrong shape (a key missing, an object where a list belongs): still the file's fault.
                throw Invalid(file, 1, $"not a parser table: {e.Message}", "regenerate it with 'haproxykafka-schema generate' instead of editing it");
            }
        }
    }

    private static ParserTable Read(JsonElement root, string file)
    {
        var format = Text(root, "format", file);
        if (format != ParserTable.Format)
        {
            throw Invalid(file, 1, $"format is '{format}', this forwarder reads '{ParserTable.Format}'", "regenerate the table with the haproxykafka-schema that matches this forwarder");
        }

        var fields = root.GetProperty("fields").EnumerateArray().Select(f => new ParserTableField(
            Text(f, "sd", file),
            Text(f, "json", file),
            Enum(NamedValues.Types, f, "type", file),
            Enum(NamedValues.Transforms, f, "transform", file),
            f.GetProperty("required").GetBoolean(),
            Enum(NamedValues.Absent, f, "absent", file),
            Text(f, "source", file))).ToImmutableArray();
        var added = root.GetProperty("added").EnumerateArray().Select(a => new ParserTableAdded(
            Text(a, "json", file),
            Enum(NamedValues.AddedSources, a, "from", file),
            a.TryGetProperty("value", out var v) ? v.GetString() : null)).ToImmutableArray();
        var clusters = root.GetProperty("clusters").EnumerateObject()
            .ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        return new ParserTable(
            Text(root, "schema", file),
            Text(root, "fingerprint", file),
            Text(root, "fingerprint_param", file),
            Text(root, "sd_id", file),
            clusters,
            Text(root, "dlq_topic", file),
            fields,
            added,
            file);
    }

    private static string Text(JsonElement element, string name, string file) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Invalid(file, 1, $"'{name}' is missing or not a string", "regenerate it with 'haproxykafka-schema generate' instead of editing it");

    private static T Enum<T>(IReadOnlyDictionary<string, T> names, JsonElement element, string name, string file)
        where T : struct, System.Enum =>
        names.TryGetValue(Text(element, name, file), out var value)
            ? value
            : throw Invalid(file, 1, $"'{name}' has an unknown value '{Text(element, name, file)}'", $"one of {string.Join(", ", names.Keys)}; regenerate the table");

    private static InvalidInputException Invalid(string file, int line, string message, string fix) =>
        new(new Diagnostic(new SourceLocation(file, line, 1), Severity.Error, message, fix));
}
