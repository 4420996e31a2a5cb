using System.Text.Json;
using System.Text.Json.Serialization;

namespace HaproxyKafka.Contract;

/// <summary>
/// The <c>format</c> key: anything but <see cref="ParserTable.Format"/> fails while reading, so the serializer
/// reports the line of the offending value rather than the table failing later for an unrelated reason.
/// </summary>
internal sealed class ParserTableFormatConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var format = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return format == ParserTable.Format
            ? format
            : throw new JsonException($"format is {(format is null ? "not a string" : $"'{format}'")}, this forwarder reads '{ParserTable.Format}' (a table written by another version of haproxykafka-schema)");
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
