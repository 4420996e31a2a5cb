using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>
/// Finds where a run of plain ASCII ends: printable ASCII (0x20-0x7E) other than <c>"</c> and <c>\</c>. Most SD values
/// are short and plain, so the cost is in the first 16 bytes; one vector compare there beats
/// <c>IndexOfAnyExcept(SearchValues)</c>, whose set lookup is built for arbitrary sets.
/// </summary>
internal static class PlainAscii
{
    /// <summary>The index of the first byte that is not plain ASCII, or -1 when there is none.</summary>
    public static int IndexOfNotPlain(ReadOnlySpan<byte> span)
    {
        ref var start = ref MemoryMarshal.GetReference(span);
        var length = span.Length;
        if (!Vector128.IsHardwareAccelerated || length < Vector128<byte>.Count)
        {
            for (var i = 0; i < length; i++)
            {
                if (!IsPlain(Unsafe.Add(ref start, i)))
                {
                    return i;
                }
            }

            return -1;
        }

        var at = 0;
        var lastVector = length - Vector128<byte>.Count;
        while (true)
        {
            var found = NotPlain(Vector128.LoadUnsafe(ref start, (nuint)at));
            if (found != 0)
            {
                return at + BitOperations.TrailingZeroCount(found);
            }

            if (at == lastVector)
            {
                return -1;
            }

            // The last vector may overlap bytes already checked: they are plain, so a hit is past them.
            at = Math.Min(at + Vector128<byte>.Count, lastVector);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlain(byte b) => (uint)(b - 0x20) < 0x5F && b != (byte)'"' && b != (byte)'\\';

    /// <summary>A bit per byte that is not plain: outside 0x20-0x7E (one unsigned compare after a shift), or a quote or backslash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint NotPlain(Vector128<byte> bytes)
    {
        var outside = Vector128.GreaterThan(bytes - Vector128.Create((byte)0x20), Vector128.Create((byte)0x5E));
        var special = Vector128.Equals(bytes, Vector128.Create((byte)'"')) | Vector128.Equals(bytes, Vector128.Create((byte)'\\'));
        return (outside | special).ExtractMostSignificantBits();
    }
}
