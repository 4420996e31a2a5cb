using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Generator.Rendering;

/// <summary>
/// The JSON Schema (draft 2020-12) of the messages the forwarder writes to Kafka, derived from the parser table it
/// maps lines with, so the schema says what <c>LineMapper</c> does: integers are copied as integers, <c>ms_to_seconds</c>
/// gives a number, a timestamp is <c>yyyy-MM-ddTHH:mm:ssZ</c>, and an absent value becomes what its <c>absent</c>
/// rule writes (<c>null</c>, no property, <c>0</c>, <c>""</c> or <c>"-"</c>; <c>empty_to_slash</c> always writes a
/// string). Required fields are never absent in a message (such a line is dead-lettered). Written with
/// <see cref="Utf8JsonWriter"/>, not a template: it is JSON, like the parser table.
/// </summary>
public static class MessageSchema
{
    public const string MetaSchema = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>What <c>HaproxyTime.WriteIso8601</c> writes; <c>format</c> alone is only an annotation in 2020-12.</summary>
    public const string TimestampPattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$";

    /// <summary>The schema's version in its <c>$id</c>; schema.yaml has no version of its own yet.</summary>
    public const string Version = "1.0.0";

    private static readonly JsonWriterOptions Layout = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Where the schema of stream <paramref name="name"/> goes, relative to the output directory.</summary>
    public static string PathFor(string name) => $"schemas/{name}.json";

    public static string Write(ParserTable table, Banner banner)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Layout))
        {
            w.WriteStartObject();
            w.WriteString("$schema", MetaSchema);
            w.WriteString("$id", $"/{table.Schema}/{Version}");
            w.WriteString("title", table.Schema);
            w.WriteString(
                "description",
                $"One message of stream '{table.Schema}' as the haproxykafka forwarder writes it to Kafka: one per HAProxy " +
                $"log line with SD-ID {table.SdId}.");
            w.WriteString("$comment", banner.OneLine);
            w.WriteString("type", "object");

            w.WriteStartObject("properties");
            foreach (var field in table.Fields)
            {
                WriteField(w, field);
            }

            foreach (var added in table.Added)
            {
                WriteAdded(w, added, table);
            }

            w.WriteEndObject();

            w.WriteStartArray("required");
            foreach (var field in table.Fields.Where(AlwaysWritten))
            {
                w.WriteStringValue(field.Json);
            }

            foreach (var added in table.Added)
            {
                w.WriteStringValue(added.Json);
            }

            w.WriteEndArray();
            w.WriteBoolean("additionalProperties", false);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>Only an optional field with <c>absent: omit</c> can be missing, and not with <c>empty_to_slash</c>.</summary>
    private static bool AlwaysWritten(ParserTableField field) =>
        field.Required || field.Absent != AbsentValue.Omit || field.Transform == FieldTransform.EmptyToSlash;

    private static void WriteField(Utf8JsonWriter w, ParserTableField field)
    {
        w.WriteStartObject(field.Json);
        var present = field.Type switch
        {
            FieldType.Integer => "integer",
            FieldType.Number => "number",
            _ => "string",
        };

        // What LineMapper.WriteAbsent writes when HAProxy wrote '-' (never for a required field: that line is dead-lettered).
        var absent = field.Required || field.Absent == AbsentValue.Omit ? null
            : field.Transform == FieldTransform.EmptyToSlash ? "string"
            : field.Absent switch
            {
                AbsentValue.Zero => "integer",
                AbsentValue.Empty or AbsentValue.Dash => "string",
                _ => "null",
            };

        // 0 is also a number; "integer" is the narrower spelling only when the present type is integer.
        if (absent == "integer" && present == "number")
        {
            absent = "number";
        }

        if (absent is null || absent == present)
        {
            w.WriteString("type", present);
        }
        else
        {
            w.WriteStartArray("type");
            w.WriteStringValue(present);
            w.WriteStringValue(absent);
            w.WriteEndArray();
        }

        if (field.Type == FieldType.Timestamp)
        {
            w.WriteString("format", "date-time");
            w.WriteString("pattern", TimestampPattern);
        }

        w.WriteString("description", Describe(field));
        w.WriteEndObject();
    }

    private static string Describe(ParserTableField field)
    {
        var what = $"SD parameter '{field.Sd}'";
        var transform = field.Transform switch
        {
            FieldTransform.MsToSeconds => ", milliseconds as seconds",
            FieldTransform.HaproxyDateToUtc => ", HAProxy's local date as UTC",
            FieldTransform.EmptyToSlash => "; '/' when absent",
            _ => string.Empty,
        };
        var absent = field.Required ? "; always present (a line without it is dead-lettered)"
            : field.Transform == FieldTransform.EmptyToSlash ? string.Empty
            : field.Absent switch
            {
                AbsentValue.Omit => "; left out when absent",
                AbsentValue.Zero => "; 0 when absent",
                AbsentValue.Empty => "; \"\" when absent",
                AbsentValue.Dash => "; \"-\" when absent",
                _ => "; null when absent",
            };
        return what + transform + absent + ".";
    }

    private static void WriteAdded(Utf8JsonWriter w, ParserTableAdded added, ParserTable table)
    {
        w.WriteStartObject(added.Json);
        w.WriteString("type", "string");
        switch (added.From)
        {
            case AddedFrom.Constant:
                w.WriteString("const", added.Value ?? string.Empty);
                w.WriteString("description", "Added by the forwarder: a constant.");
                break;
            case AddedFrom.Cluster:
                w.WriteString(
                    "description",
                    $"Added by the forwarder: the cluster whose topic it produces to ({string.Join(", ", table.Clusters.Keys)}; \"\" for another topic).");
                break;
            default:
                w.WriteString("description", "Added by the forwarder: its configured host name.");
                break;
        }

        w.WriteEndObject();
    }
}
