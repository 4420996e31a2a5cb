using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HaproxyKafka.Decoder.Mapping;

/// <summary>
/// A reusable output buffer for one JSON message. It grows to the largest message seen and is then reused, so
/// steady-state mapping allocates nothing.
/// </summary>
public sealed class JsonBuffer
{
    private byte[] _bytes;

    public JsonBuffer(int initialCapacity = 4096) => _bytes = new byte[initialCapacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public void Reset() => Length = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(byte b)
    {
        if (Length == _bytes.Length)
        {
            Grow(1);
        }

        _bytes[Length++] = b;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _bytes.Length)
        {
            Grow(bytes.Length);
        }

        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>
    /// Writes the first <paramref name="length"/> bytes of <paramref name="source"/>. When they are at most 32, the
    /// source has 32 bytes to read and the buffer room for 32, one 32-byte vector is copied (the bytes past
    /// <paramref name="length"/> are overwritten by what comes next): most names and values of a line are that short,
    /// and this saves a memmove call on each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteShort(ReadOnlySpan<byte> source, int length)
    {
        if (length <= Vector256<byte>.Count && source.Length >= Vector256<byte>.Count && Length + Vector256<byte>.Count <= _bytes.Length)
        {
            Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source)).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_bytes), (nuint)Length);
            Length += length;
            return;
        }

        Write(source[..length]);
    }

    /// <summary>Space for up to <paramref name="size"/> bytes; call <see cref="Advance"/> with what was used.</summary>
    public Span<byte> Reserve(int size)
    {
        if (Length + size > _bytes.Length)
        {
            Grow(size);
        }

        return _bytes.AsSpan(Length, size);
    }

    public void Advance(int count) => Length += count;

    private void Grow(int needed) =>
        Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + needed));
}
