using System.Text.Json;
using System.Text.Json.Serialization;

namespace HaproxyKafka.Contract;

/// <summary>
/// Reads and writes an enum in the parser table with its <see cref="NamedValues"/> spelling, the same table the
/// schema loader reads, so a value has one spelling in every file. An unknown spelling is a
/// <see cref="JsonException"/>, which the serializer locates (path and line).
/// </summary>
internal abstract class NamedValueConverter<T>(IReadOnlyDictionary<string, T> names) : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string, one of {string.Join(", ", names.Keys)}");
        }

        var name = reader.GetString()!;
        return names.TryGetValue(name, out var value)
            ? value
            : throw new JsonException($"'{name}' is not one of {string.Join(", ", names.Keys)}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(NamedValues.Name(names, value));
}

internal sealed class FieldTypeConverter() : NamedValueConverter<FieldType>(NamedValues.Types);

internal sealed class FieldTransformConverter() : NamedValueConverter<FieldTransform>(NamedValues.Transforms);

internal sealed class AbsentValueConverter() : NamedValueConverter<AbsentValue>(NamedValues.Absent);

internal sealed class AddedFromConverter() : NamedValueConverter<AddedFrom>(NamedValues.AddedSources);
