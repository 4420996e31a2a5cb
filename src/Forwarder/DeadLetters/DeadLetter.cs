using System.Text.Json.Serialization;

namespace HaproxyKafka.Forwarder.DeadLetters;

/// <summary>
/// One line that did not become a delivered message, with why. It carries the raw datagram (base64, exact bytes,
/// since lines may hold invalid UTF-8) when the line could not be mapped, or the mapped message and its topic
/// when Kafka refused it; <c>haproxykafka replay</c> re-produces either kind.
/// </summary>
internal sealed record DeadLetter(
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("topic")] string? Topic,
    [property: JsonPropertyName("line_base64")] string? LineBase64,
    [property: JsonPropertyName("line")] string? Line,
    [property: JsonPropertyName("message")] string? Message);

[JsonSerializable(typeof(DeadLetter))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class DeadLetterJson : JsonSerializerContext;
