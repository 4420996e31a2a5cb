namespace HaproxyKafka.Decoder.Mapping;

/// <summary>How a field's value is checked and written, from its type and transform.</summary>
internal enum FieldKind
{
    String,
    Integer,
    Number,
    MillisecondsAsSeconds,
    Timestamp,
}
