using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// Reads the datagrams the kernel has queued, up to <see cref="BatchSize"/>, in one <c>recvmmsg(2)</c> call into
/// buffers allocated once: the call waits for the first datagram (at most the socket's receive timeout) and then
/// takes what is queued without waiting (<c>MSG_WAITFORONE</c>), so one system call serves each wake-up. On a
/// descriptor in non-blocking mode the call returns at once and <see cref="WaitReadable"/> (<c>poll(2)</c>) waits.
/// With <c>readSenders</c> each message also gets a control buffer for the sender's <c>SCM_CREDENTIALS</c> (the socket
/// needs <c>SO_PASSCRED</c>); without it no control buffer exists and the kernel writes none.
/// </summary>
internal sealed unsafe partial class DatagramBatchReader : IDisposable
{
    private const int MsgWaitForOne = 0x10000;
    private const int MsgDontWait = 0x40;
    private const int EAgain = 11;
    private const int EIntr = 4;
    private const short PollIn = 1;

    // <sys/socket.h>: SOL_SOCKET, SCM_CREDENTIALS; struct cmsghdr is a size_t length then two ints (16 bytes).
    private const int SolSocket = 1;
    private const int ScmCredentials = 2;
    private const int ControlHeaderBytes = 16;

    // CMSG_SPACE(sizeof(struct ucred)): room for the credentials and nothing more. A sender may attach descriptors
    // (SCM_RIGHTS) too; the kernel writes the credentials first and closes whatever does not fit, so no descriptor an
    // attacker sends is ever installed in this process.
    private const int ControlBytes = ControlHeaderBytes + 16;

    private readonly Socket _socket;
    private readonly int _slotBytes;
    private readonly byte* _buffers;
    private readonly MessageHeader* _headers;
    private readonly IoVector* _vectors;
    private readonly byte* _controls;
    private int _lastCount;

    /// <param name="socket">The bound datagram socket (its descriptor is read, never closed here).</param>
    /// <param name="batchSize">Datagrams read at most per call.</param>
    /// <param name="slotBytes">Room for one datagram: more than the largest one a sender can write.</param>
    /// <param name="readSenders">Read each datagram's sender (<see cref="TryGetSender"/>); the socket must have <c>SO_PASSCRED</c>.</param>
    public DatagramBatchReader(Socket socket, int batchSize, int slotBytes, bool readSenders = false)
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

        if (readSenders)
        {
            _controls = (byte*)NativeMemory.AllocZeroed((nuint)batchSize, ControlBytes);
            for (var i = 0; i < batchSize; i++)
            {
                _headers[i].Control = _controls + ((long)i * ControlBytes);
                _headers[i].ControlLength = ControlBytes;
            }
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
        if (_controls != null)
        {
            // The kernel wrote back how much of each control buffer the last call used; give each its full room again.
            for (var i = 0; i < _lastCount; i++)
            {
                _headers[i].ControlLength = ControlBytes;
            }
        }

        var count = RecvMmsg(Descriptor, _headers, (uint)BatchSize, wait ? MsgWaitForOne : MsgDontWait, null);
        if (count >= 0)
        {
            _lastCount = count;
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

    /// <summary>
    /// The process that sent datagram <paramref name="index"/> of the last <see cref="Receive"/>, as the kernel recorded
    /// it; false when the reader was made without <c>readSenders</c> or the kernel attached no credentials.
    /// </summary>
    public bool TryGetSender(int index, out SenderCredentials sender)
    {
        var header = &_headers[index];
        if (_controls == null || header->ControlLength < ControlHeaderBytes + (nuint)sizeof(SenderCredentials))
        {
            sender = default;
            return false;
        }

        var control = (ControlHeader*)header->Control;
        if (control->Level != SolSocket || control->Type != ScmCredentials || control->Length < ControlHeaderBytes + (nuint)sizeof(SenderCredentials))
        {
            sender = default;
            return false;
        }

        sender = *(SenderCredentials*)((byte*)control + ControlHeaderBytes);
        return true;
    }

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
        NativeMemory.Free(_controls);
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

    // struct cmsghdr.
    [StructLayout(LayoutKind.Sequential)]
    private struct ControlHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollRequest
    {
        public int Descriptor;
        public short Events;
        public short Returned;
    }
}
