using System.Text;

namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>
/// A datagram read by <see cref="Rfc5424Reader"/> into strings, values unescaped: what the conformance checker
/// reports from and tests assert on. The same reader as the forwarder's, so the shape, the elements and the fault
/// position are the ones the forwarder sees. It allocates, so it is never on the forwarder's hot path.
/// </summary>
public sealed record DecodedDatagram(DatagramShape Shape, int Position, Rfc5424Part Fault, IReadOnlyList<SdElement> Elements, string Message)
{
    /// <summary>
    /// Reads the whole datagram. <see cref="Elements"/> holds the elements read completely (all of them unless the
    /// shape is malformed or truncated); <see cref="Position"/> is in bytes.
    /// </summary>
    public static DecodedDatagram Read(ReadOnlySpan<byte> datagram)
    {
        var reader = new Rfc5424Reader(datagram);
        var elements = new List<SdElement>();
        if (reader.ReadHeader())
        {
            while (reader.NextElement())
            {
                var id = Encoding.UTF8.GetString(reader.ElementId.Of(datagram));
                var parameters = new List<KeyValuePair<string, string>>();
                while (reader.NextParam())
                {
                    parameters.Add(new(Encoding.UTF8.GetString(reader.ParamName.Of(datagram)), Unescaped(reader.ParamValue.Of(datagram))));
                }

                if (reader.Shape != DatagramShape.Structured)
                {
                    break;
                }

                elements.Add(new SdElement(id, parameters));
            }
        }

        return new DecodedDatagram(reader.Shape, reader.Position, reader.Fault, elements, Encoding.UTF8.GetString(reader.Message.Of(datagram)));
    }

    /// <summary>The first element named <paramref name="sdId"/>: the one the forwarder maps.</summary>
    public SdElement? Element(string sdId) => Elements.FirstOrDefault(e => e.Id == sdId);

    private static string Unescaped(ReadOnlySpan<byte> raw)
    {
        var bytes = new byte[raw.Length];
        return Encoding.UTF8.GetString(bytes, 0, SdValue.Unescape(raw, bytes));
    }
}
