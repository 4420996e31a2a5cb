using System.Buffers.Binary;

namespace HaproxyKafka.Forwarder.Spool;

/// <summary>
/// The read cursor: the position up to which replay is acknowledged, in a 20-byte file (segment, offset, CRC-32C)
/// replaced atomically (write a temporary file, fsync, rename) so a crash leaves the old cursor or the new one.
/// A missing or damaged cursor means "from the oldest segment": replaying twice beats losing.
/// </summary>
internal static class SpoolCursor
{
    public const string FileName = "cursor";

    public static SpoolPosition? Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != 20 || SpoolRecordCodec.Crc32C(bytes.AsSpan(0, 16)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)))
        {
            return null;
        }

        return new SpoolPosition(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
    }

    public static void Save(string directory, SpoolPosition position)
    {
        Span<byte> bytes = stackalloc byte[20];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, position.Segment);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], position.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], SpoolRecordCodec.Crc32C(bytes[..16]));
        var temporary = Path.Combine(directory, FileName + ".tmp");
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, bytes, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temporary, Path.Combine(directory, FileName), overwrite: true);
    }
}
