using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace HaproxyKafka.Forwarder.Spool;

/// <summary>
/// The record layout on disk, little-endian:
/// <code>
/// magic u32 "HKS1" | body length u32 | CRC-32C of the body u32 | body: received_at unix ms i64, topic length u16, topic UTF-8, value
/// </code>
/// The magic lets a reader find the next record after damage; the CRC catches a torn write and a flipped bit.
/// </summary>
internal static class SpoolRecordCodec
{
    public const int HeaderBytes = 12;

    /// <summary>Bodies larger than this are damage, not records (Kafka's own limit is far below it).</summary>
    public const int MaxBodyBytes = 64 << 20;

    private const uint Magic = 0x3153_4B48; // "HKS1" read little-endian

    public static int Size(SpoolRecord record) => HeaderBytes + 8 + 2 + Encoding.UTF8.GetByteCount(record.Topic) + record.Value.Length;

    public static void Write(IBufferWriter<byte> output, SpoolRecord record)
    {
        var topicBytes = Encoding.UTF8.GetByteCount(record.Topic);
        if (topicBytes > ushort.MaxValue)
        {
            throw new ArgumentException($"topic name of {topicBytes} bytes", nameof(record));
        }

        var bodyLength = 8 + 2 + topicBytes + record.Value.Length;
        var span = output.GetSpan(HeaderBytes + bodyLength)[..(HeaderBytes + bodyLength)];
        var body = span[HeaderBytes..];
        BinaryPrimitives.WriteInt64LittleEndian(body, record.ReceivedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt16LittleEndian(body[8..], (ushort)topicBytes);
        Encoding.UTF8.GetBytes(record.Topic, body[10..]);
        record.Value.CopyTo(body[(10 + topicBytes)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Crc32C(body));
        output.Advance(span.Length);
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="data"/>. <see cref="DecodeStatus.Incomplete"/>: the data ends
    /// inside it (read more, or at the end of a segment it is a torn tail); <see cref="DecodeStatus.Corrupt"/>: it is
    /// not a record (look for the next magic).
    /// </summary>
    public static DecodeStatus TryRead(ReadOnlySpan<byte> data, out SpoolRecord? record, out int consumed)
    {
        record = null;
        consumed = 0;
        if (data.Length < HeaderBytes)
        {
            return DecodeStatus.Incomplete;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic || length < 10 || length > MaxBodyBytes)
        {
            return DecodeStatus.Corrupt;
        }

        if (data.Length < HeaderBytes + length)
        {
            return DecodeStatus.Incomplete;
        }

        var body = data.Slice(HeaderBytes, (int)length);
        if (Crc32C(body) != BinaryPrimitives.ReadUInt32LittleEndian(data[8..]))
        {
            return DecodeStatus.Corrupt;
        }

        var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(body[8..]);
        if (10 + topicLength > body.Length)
        {
            return DecodeStatus.Corrupt;
        }

        var received = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(body));
        var topic = Encoding.UTF8.GetString(body.Slice(10, topicLength));
        record = new SpoolRecord(topic, received, body[(10 + topicLength)..].ToArray());
        consumed = HeaderBytes + (int)length;
        return DecodeStatus.Ok;
    }

    /// <summary>Where the next record could start after damage at the start of <paramref name="data"/>: the next magic, or the end.</summary>
    public static int NextCandidate(ReadOnlySpan<byte> data)
    {
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, Magic);
        var next = data.Length > 1 ? data[1..].IndexOf(magic) : -1;
        return next < 0 ? data.Length : next + 1;
    }

    /// <summary>
    /// CRC-32C (Castagnoli, as iSCSI and ext4 use it) with the BCL's hardware-backed step: System.IO.Hashing only
    /// gains a CRC-32C parameter set in .NET 11, and this is the same polynomial with no package.
    /// </summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}

internal enum DecodeStatus
{
    Ok,
    Incomplete,
    Corrupt,
}
