using System.Buffers.Binary;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// A run of lines a worker took from the <see cref="LineQueue"/>: a stretch of the ring, read in order with
/// <see cref="TryRead"/>. The bytes stay valid until the run is given back with <see cref="LineQueue.Return"/>.
/// </summary>
internal sealed class LineBatch
{
    private readonly byte[] _ring;
    private long _next;
    private int _capacity;

    public LineBatch(byte[] ring) => _ring = ring;

    /// <summary>Lines in the run.</summary>
    public int Count { get; private set; }

    internal long End { get; private set; }

    internal bool Done { get; set; }

    /// <summary>The next line and the <see cref="System.Diagnostics.Stopwatch"/> timestamp of its receipt.</summary>
    public bool TryRead(out ReadOnlySpan<byte> line, out long receivedAt)
    {
        while (_next < End)
        {
            var offset = (int)(_next % _capacity);
            var length = BinaryPrimitives.ReadInt32LittleEndian(_ring.AsSpan(offset));
            if (length < 0)
            {
                _next += _capacity - offset;
                continue;
            }

            receivedAt = BinaryPrimitives.ReadInt64LittleEndian(_ring.AsSpan(offset + 8));
            line = _ring.AsSpan(offset + LineQueue.HeaderBytes, length);
            _next += LineQueue.HeaderBytes + ((length + 7) & ~7);
            return true;
        }

        line = default;
        receivedAt = 0;
        return false;
    }

    internal void Reset(long start, long end, int count, int capacity)
    {
        _next = start;
        End = end;
        Count = count;
        _capacity = capacity;
    }
}
