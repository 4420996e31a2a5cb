using System.Text.Json;
using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Contract;

/// <summary>Reads a generated parser table; a damaged or hand-edited file is an error naming the file and line.</summary>
public static class ParserTableLoader
{
    private const string Regenerate = "regenerate it with 'haproxykafka-schema generate' instead of editing it";

    public static ParserTable Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, 1, $"cannot read the parser table: {e.Message}", "check 'parser_table' in the forwarder config; generate it with 'haproxykafka-schema generate'");
        }

        return Parse(bytes, path);
    }

    public static ParserTable Parse(ReadOnlySpan<byte> json, string file)
    {
        // Syntax first, so a cut or mangled file says "not valid JSON" rather than blaming the table's shape.
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw Invalid(file, e, $"not valid JSON: {WithoutPosition(e.Message)}", Regenerate);
        }

        ParserTable? table;
        try
        {
            table = JsonSerializer.Deserialize(json, ParserTableJsonContext.Default.ParserTable);
        }
        catch (JsonException e)
        {
            throw Invalid(file, e, $"not a parser table: {Describe(e)}", Regenerate);
        }

        // Nullable annotations are enforced on properties, not on list elements.
        if (table is null || table.Fields.Any(f => f is null) || table.Added.Any(a => a is null))
        {
            throw Invalid(file, 1, "not a parser table: null where a table, field or added entry belongs", Regenerate);
        }

        return table with { File = file };
    }

    /// <summary>
    /// Where in the table and what. The serializer's stock message ("could not be converted to" a CLR type) is the
    /// one it suffixes with its own position; it names internal types, so it is replaced by what it means.
    /// </summary>
    private static string Describe(JsonException e)
    {
        var what = WithoutPosition(e.Message);
        return $"at {e.Path ?? "$"}: {(what.Length == e.Message.Length ? what : "the value has the wrong type")}";
    }

    /// <summary>The reader and serializer append a 0-based position; the diagnostic's location already says it, 1-based.</summary>
    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (at < 0)
        {
            at = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        return at < 0 ? message : message[..at];
    }

    /// <summary>JsonException counts lines and bytes from 0; diagnostics, like editors, from 1.</summary>
    private static InvalidInputException Invalid(string file, JsonException e, string message, string fix) =>
        new(new Diagnostic(new SourceLocation(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1), Severity.Error, message, fix));

    private static InvalidInputException Invalid(string file, int line, string message, string fix) =>
        new(new Diagnostic(new SourceLocation(file, line, 1), Severity.Error, message, fix));
}
