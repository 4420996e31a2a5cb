using System.Text.Json.Serialization;

namespace HaproxyKafka.Contract;

/// <summary>
/// The parser table's JSON shape, generated at compile time: snake_case keys, enums by their schema spelling,
/// and every constructor parameter required and non-null, so a key missing or set to null is an error with a
/// line rather than a default the forwarder would run with.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    Converters = [typeof(FieldTypeConverter), typeof(FieldTransformConverter), typeof(AbsentValueConverter), typeof(AddedFromConverter)])]
[JsonSerializable(typeof(ParserTable))]
internal sealed partial class ParserTableJsonContext : JsonSerializerContext;
