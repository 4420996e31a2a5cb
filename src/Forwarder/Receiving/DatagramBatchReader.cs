using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// Reads the datagrams the kernel has queued, up to <see cref="BatchSize"/>, in one <c>recvmmsg(2)</c> call into
/// buffers allocated once: the call waits for the first datagram (at most the socket's receive timeout) and then
/// takes what is queued without waiting (<c>MSG_WAITFORONE</c>), so one system call serves each wake-up. On a
/// descriptor in non-blocking mode the call returns at once and <see cref="WaitReadable"/> (<c>poll(2)</c>) waits.
/// </summary>
internal sealed unsafe partial class DatagramBatchReader : IDisposable
{
    private const int MsgWaitForOne = 0x10000;
    private const int MsgDontWait = 0x40;
    private const int EAgain = 11;
    private const int EIntr = 4;
    private const short PollIn = 1;

    private readonly Socket _socket;
    private readonly int _slotBytes;
    private readonly byte* _buffers;
    private readonly MessageHeader* _headers;
    private readonly IoVector* _vectors;

    /// <param name="socket">The bound datagram socket (its descriptor is read, never closed here).</param>
    /// <param name="batchSize">Datagrams read at most per call.</param>
    /// <param name="slotBytes">Room for one datagram: more than the largest one a sender can write.</param>
    public DatagramBatchReader(Socket socket, int batchSize, int slotBytes)
    {
        _socket = socket;
        BatchSize = batchSize;
        _slotBytes = slotBytes;

        // Only the pages the kernel writes become resident: ~1 KB lines touch one page of each 64 KiB slot.
        _buffers = (byte*)NativeMemory.Alloc((nuint)batchSize * (nuint)slotBytes);
        _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)batchSize, (nuint)sizeof(IoVector));
        _headers = (MessageHeader*)NativeMemory.AllocZeroed((nuint)batchSize, (nuint)sizeof(MessageHeader));
        for (var i = 0; i < batchSize; i++)
        {
            _vectors[i].Base = _buffers + ((long)i * slotBytes);
            _vectors[i].Length = (nuint)slotBytes;
            _headers[i].Vectors = &_vectors[i];
            _headers[i].VectorCount = 1;
        }
    }

    public int BatchSize { get; }

    /// <summary>The errno of the last failed <see cref="Receive"/>.</summary>
    public int LastError { get; private set; }

    private int Descriptor => (int)_socket.SafeHandle.DangerousGetHandle();

    /// <summary>
    /// Datagrams read; 0 when none came within the receive timeout (or at once, on a non-blocking descriptor, or
    /// when <paramref name="wait"/> is false and none is queued); -1 when the socket failed (see <see cref="LastError"/>).
    /// </summary>
    public int Receive(bool wait = true)
    {
        var count = RecvMmsg(Descriptor, _headers, (uint)BatchSize, wait ? MsgWaitForOne : MsgDontWait, null);
        if (count >= 0)
        {
            return count;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is EAgain or EIntr)
        {
            return 0;
        }

        LastError = errno;
        return -1;
    }

    /// <summary>Datagram <paramref name="index"/> of the last <see cref="Receive"/>.</summary>
    public ReadOnlySpan<byte> Datagram(int index) => new(_buffers + ((long)index * _slotBytes), (int)_headers[index].Received);

    /// <summary>Waits until a datagram is queued (or the socket is shut down), at most <paramref name="timeoutMs"/>.</summary>
    public void WaitReadable(int timeoutMs)
    {
        var request = new PollRequest { Descriptor = Descriptor, Events = PollIn };
        Poll(&request, 1, timeoutMs);
    }

    public void Dispose()
    {
        NativeMemory.Free(_buffers);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_headers);
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMmsg(int fd, MessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollRequest* requests, nuint count, int timeoutMs);

    // struct iovec, struct mmsghdr (struct msghdr + msg_len) and struct pollfd on 64-bit Linux.
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;

        // struct msghdr ends padded to 8 bytes; mmsghdr's msg_len follows it.
        public int Padding;
        public uint Received;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollRequest
    {
        public int Descriptor;
        public short Events;
        public short Returned;
    }
}
