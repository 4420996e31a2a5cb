namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>A pooled buffer holding one received datagram on its way from the receive thread to a worker.</summary>
internal sealed class LineSlot
{
    private byte[] _buffer = new byte[4096];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Line => _buffer.AsSpan(0, Length);

    public void Fill(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > _buffer.Length)
        {
            // Rare (a line over 4 KiB); the slot keeps the larger buffer for next time.
            _buffer = new byte[Math.Max(datagram.Length, _buffer.Length * 2)];
        }

        datagram.CopyTo(_buffer);
        Length = datagram.Length;
    }
}
