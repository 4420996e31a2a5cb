namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>
/// A param name a caller expects to read next, checked once to be one <see cref="Rfc5424Reader"/> would read as a
/// whole name (not empty, no space, <c>=</c>, <c>]</c> or <c>"</c>), so the reader can take it by comparison alone.
/// </summary>
public sealed class ExpectedName
{
    private readonly byte[] _bytes;

    private ExpectedName(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The name, or null when it could not be read as one name.</summary>
    public static ExpectedName? TryCreate(ReadOnlySpan<byte> name) =>
        name.IsEmpty || name.ContainsAny(Rfc5424Reader.NameEnd) ? null : new ExpectedName(name.ToArray());
}
