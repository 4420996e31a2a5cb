namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>One structured-data element of a <see cref="DecodedDatagram"/>, params in line order, values unescaped.</summary>
public sealed record SdElement(string Id, IReadOnlyList<KeyValuePair<string, string>> Params)
{
    /// <summary>The value of the first param named <paramref name="name"/>; null when there is none.</summary>
    public string? this[string name] => Params.FirstOrDefault(p => p.Key == name).Value;
}
