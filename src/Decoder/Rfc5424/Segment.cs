namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>A byte range of a datagram. Offsets instead of slices so decoded positions can live in plain arrays.</summary>
public readonly record struct Segment(int Start, int Length)
{
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> datagram) => datagram.Slice(Start, Length);
}
