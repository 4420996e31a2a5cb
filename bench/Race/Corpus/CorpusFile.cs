using System.Buffers.Binary;
using System.Text;

namespace HaproxyKafka.Race.Corpus;

/// <summary>
/// Datagrams as HAProxy sent them, stored byte for byte (they may hold invalid UTF-8): a header line naming the schema
/// fingerprint they were made for, then each datagram as a 4-byte little-endian length and its bytes.
/// </summary>
public sealed class CorpusFile
{
    private const string Magic = "haproxykafka-race-corpus/1";

    public CorpusFile(string fingerprint, IReadOnlyList<byte[]> datagrams)
    {
        Fingerprint = fingerprint;
        Datagrams = datagrams;
    }

    public string Fingerprint { get; }

    public IReadOnlyList<byte[]> Datagrams { get; }

    public int MedianBytes => Datagrams.Select(d => d.Length).Order().ElementAt(Datagrams.Count / 2);

    public static CorpusFile? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var newline = Array.IndexOf(bytes, (byte)'\n');
        var header = newline > 0 ? Encoding.ASCII.GetString(bytes, 0, newline).Split(' ') : [];
        if (header.Length != 2 || header[0] != Magic)
        {
            return null;
        }

        var datagrams = new List<byte[]>();
        var at = newline + 1;
        while (at + 4 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            datagrams.Add(bytes.AsSpan(at + 4, length).ToArray());
            at += 4 + length;
        }

        return new CorpusFile(header[1], datagrams);
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"{Magic} {Fingerprint}\n"));
        Span<byte> length = stackalloc byte[4];
        foreach (var datagram in Datagrams)
        {
            BinaryPrimitives.WriteInt32LittleEndian(length, datagram.Length);
            file.Write(length);
            file.Write(datagram);
        }
    }
}
