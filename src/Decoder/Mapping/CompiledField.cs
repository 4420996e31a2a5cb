using System.Text;
using HaproxyKafka.Contract;
using HaproxyKafka.Decoder.Rfc5424;

namespace HaproxyKafka.Decoder.Mapping;

/// <summary>
/// A <see cref="ParserTableField"/> with everything the per-line loop needs decided once: the JSON bytes of its
/// property name, of its absent value, and which writer its values take.
/// </summary>
internal sealed class CompiledField
{
    public CompiledField(ParserTableField spec)
    {
        Spec = spec;
        SdName = Encoding.UTF8.GetBytes(spec.Sd);
        Expected = ExpectedName.TryCreate(SdName);
        var name = JsonText.PropertyName(spec.Json);
        NameLength = name.Length + 1;
        NameAfterComma = [(byte)',', .. name, .. new byte[32]];
        Kind = spec.Type switch
        {
            FieldType.Integer => FieldKind.Integer,
            FieldType.Number when spec.Transform == FieldTransform.MsToSeconds => FieldKind.MillisecondsAsSeconds,
            FieldType.Number => FieldKind.Number,
            FieldType.Timestamp => FieldKind.Timestamp,
            _ => FieldKind.String,
        };
        AbsentJson = spec.Transform == FieldTransform.EmptyToSlash ? "\"/\""u8.ToArray() : spec.Absent switch
        {
            AbsentValue.Omit => null,
            AbsentValue.Zero => "0"u8.ToArray(),
            AbsentValue.Empty => "\"\""u8.ToArray(),
            AbsentValue.Dash => "\"-\""u8.ToArray(),
            _ => "null"u8.ToArray(),
        };
    }

    public ParserTableField Spec { get; }

    public byte[] SdName { get; }

    /// <summary>The name as the param the reader expects next, once the previous field's param was read.</summary>
    public ExpectedName? Expected { get; }

    /// <summary>
    /// <c>,"name":</c> (<see cref="NameLength"/> bytes; the first property written leaves the comma out), then 32 zero
    /// bytes so it can be copied as one vector (<see cref="JsonBuffer.WriteShort"/>).
    /// </summary>
    public byte[] NameAfterComma { get; }

    public int NameLength { get; }

    public FieldKind Kind { get; }

    public bool Required => Spec.Required;

    /// <summary>What an absent value (no param, or <c>-</c>) is written as; null when the property is left out.</summary>
    public byte[]? AbsentJson { get; }
}
