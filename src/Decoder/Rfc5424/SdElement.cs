namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>One structured-data element of an RFC 5424 line, values unescaped.</summary>
public sealed record SdElement(string Id, IReadOnlyList<KeyValuePair<string, string>> Params)
{
    public string? this[string name] => Params.FirstOrDefault(p => p.Key == name).Value;
}
