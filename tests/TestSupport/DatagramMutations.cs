using FsCheck;
using FsCheck.Fluent;

namespace HaproxyKafka.TestSupport;

/// <summary>
/// Datagrams for property tests: random bytes, and flips, inserts, deletes and truncations of a real line, which get
/// deep into the structured data and value paths where random bytes rarely go.
/// </summary>
public static class DatagramMutations
{
    /// <summary>The bytes RFC 5424 framing, escaping, JSON and UTF-8 care about.</summary>
    private static readonly byte[] Interesting = [(byte)'"', (byte)'\\', (byte)']', (byte)'[', (byte)' ', (byte)'=', (byte)'-', 0x00, 0x0A, 0x7F, 0x80, 0xC3, 0xE6, 0xF0, 0xFF];

    public static Gen<byte[]> RandomBytes { get; } = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf();

    /// <summary>One to six edits of <paramref name="valid"/>.</summary>
    public static Gen<byte[]> Of(byte[] valid) =>
        from count in Gen.Choose(1, 6)
        from edits in Gen.Choose(0, valid.Length - 1).Zip(Gen.Choose(0, 3)).Zip(Gen.Elements(Interesting)).ArrayOf(count)
        from cut in Gen.Choose(1, valid.Length)
        select Apply(valid, edits, cut);

    private static byte[] Apply(byte[] valid, ((int At, int Kind) Edit, byte Value)[] edits, int cut)
    {
        var line = valid.ToList();
        foreach (var ((at, kind), value) in edits)
        {
            if (line.Count == 0)
            {
                // An earlier truncation emptied the line; the empty datagram is itself a case worth reading.
                break;
            }

            var position = Math.Min(at, line.Count - 1);
            switch (kind)
            {
                case 0:
                    line[position] = value;
                    break;
                case 1:
                    line.Insert(position, value);
                    break;
                case 2:
                    line.RemoveAt(position);
                    break;
                default:
                    line.RemoveRange(Math.Min(cut, line.Count), line.Count - Math.Min(cut, line.Count));
                    break;
            }
        }

        return [.. line];
    }
}
