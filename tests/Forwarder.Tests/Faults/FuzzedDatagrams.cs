using System.Text;
using FsCheck;
using FsCheck.Fluent;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>
/// A reproducible stream of damaged datagrams: the lines of the conformance corpus and the tests' request lines,
/// edited by <see cref="DatagramMutations"/> (framing and escaping bytes, NUL, truncation), plus bit flips, invalid
/// UTF-8 sequences, oversized lines, empty datagrams and some left intact. The same seed gives the same stream.
/// </summary>
internal static class FuzzedDatagrams
{
    private const int Chunk = 5000;

    /// <summary>Byte sequences no UTF-8 decoder may accept: a bad continuation, lone continuations, overlong, a surrogate, bytes never used.</summary>
    private static readonly byte[][] InvalidUtf8 = [[0xC3, 0x28], [0xA0, 0xA1], [0xE2, 0x28, 0xA1], [0xF0, 0x28, 0x8C, 0xBC], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFE], [0xFF], [0xE6, 0x97]];

    public static IEnumerable<byte[]> Generate(int count, ulong seed)
    {
        var lines = CorpusLines();
        var mutated = Gen.Elements(lines).SelectMany(DatagramMutations.Of);
        var gen = Gen.Frequency(
            (40, mutated),
            (15, Gen.Elements(lines).SelectMany(BitFlips)),
            (15, Gen.Elements(lines).SelectMany(WithInvalidUtf8)),
            (5, Gen.Elements(lines).SelectMany(Oversized)),
            (5, Gen.Constant(Array.Empty<byte>())),
            (20, Gen.Elements(lines)));
        for (var done = 0; done < count; done += Chunk)
        {
            foreach (var datagram in gen.Sample(Math.Min(Chunk, count - done), new Rnd(seed + (ulong)(done / Chunk)), 100))
            {
                yield return datagram;
            }
        }
    }

    private static byte[][] CorpusLines()
    {
        var corpus = Corpus.Text("samples.log").Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l + "\n");
        var requests = Enumerable.Range(0, 8).Select(i => Lines.Request(Corpus.Fingerprint, i * 7919));
        return [.. corpus.Concat(requests).Select(Encoding.UTF8.GetBytes)];
    }

    private static Gen<byte[]> BitFlips(byte[] line) =>
        Gen.Choose(1, 8).SelectMany(k => Gen.Choose(0, (line.Length * 8) - 1).ArrayOf(k)).Select(bits =>
        {
            var copy = (byte[])line.Clone();
            foreach (var bit in bits)
            {
                copy[bit / 8] ^= (byte)(1 << (bit % 8));
            }

            return copy;
        });

    private static Gen<byte[]> WithInvalidUtf8(byte[] line) =>
        Gen.Choose(1, 3).SelectMany(k => Gen.Choose(0, line.Length).Zip(Gen.Elements(InvalidUtf8)).ArrayOf(k)).Select(inserts =>
        {
            var copy = line.ToList();
            foreach (var (at, bytes) in inserts.OrderByDescending(i => i.Item1))
            {
                copy.InsertRange(Math.Min(at, copy.Count), bytes);
            }

            return copy.ToArray();
        });

    /// <summary>Longer than HAProxy's <c>len</c> (8192) up to the largest datagram a unix socket carries here.</summary>
    private static Gen<byte[]> Oversized(byte[] line) =>
        Gen.Choose(8193, 65_000).Zip(Gen.Choose(0, line.Length)).Select(sizeAndAt =>
        {
            var (size, at) = sizeAndAt;
            var filler = Enumerable.Repeat((byte)'x', Math.Max(0, size - line.Length));
            return line.Take(at).Concat(filler).Concat(line.Skip(at)).ToArray();
        });
}
