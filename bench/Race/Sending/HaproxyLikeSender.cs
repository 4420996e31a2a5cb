using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace HaproxyKafka.Race.Sending;

/// <summary>
/// Sends the way HAProxy's logger does: an unconnected AF_UNIX datagram socket, one non-blocking <c>sendto</c> per line
/// (the path looked up on every send), EAGAIN counted as a dropped line and never retried (HAProxy's
/// <c>DroppedLogs</c>). Lines due are sent in 1 ms ticks, so a fixed rate arrives in small bursts as from a busy
/// proxy; at "max" it sends back to back. The socket keeps the system's default send buffer, as HAProxy's does.
/// </summary>
public static partial class HaproxyLikeSender
{
    private const int MsgDontWait = 0x40;
    private const int EAgain = 11;

    /// <summary>Sends <paramref name="datagrams"/> round-robin to <paramref name="socketPath"/>; rate null means as fast as possible.</summary>
    public static unsafe SendResult Send(string socketPath, IReadOnlyList<byte[]> datagrams, int? ratePerSecond, TimeSpan duration)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var fd = (int)socket.SafeHandle.DangerousGetHandle();
        var address = SockaddrUn(socketPath);
        var planned = ratePerSecond is { } r ? (long)(r * duration.TotalSeconds) : long.MaxValue;
        long attempts = 0, accepted = 0, eagain = 0, otherErrors = 0;
        var lastError = 0;
        var clock = Stopwatch.StartNew();
        fixed (byte* addr = address)
        {
            while (attempts < planned)
            {
                var elapsed = clock.Elapsed;
                if (ratePerSecond is null && elapsed >= duration)
                {
                    break;
                }

                var due = ratePerSecond is { } rate ? Math.Min(planned, (long)(elapsed.TotalSeconds * rate)) : attempts + 256;
                for (; attempts < due; attempts++)
                {
                    var datagram = datagrams[(int)(attempts % datagrams.Count)];
                    nint sent;
                    fixed (byte* buffer = datagram)
                    {
                        sent = sendto(fd, buffer, (nuint)datagram.Length, MsgDontWait, addr, (uint)address.Length);
                    }

                    if (sent >= 0)
                    {
                        accepted++;
                        continue;
                    }

                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EAgain)
                    {
                        eagain++;
                    }
                    else
                    {
                        otherErrors++;
                        lastError = errno;
                    }
                }

                if (ratePerSecond is not null && attempts < planned)
                {
                    Thread.Sleep(1);
                }
            }
        }

        return new SendResult(attempts, accepted, eagain, otherErrors, lastError, clock.Elapsed);
    }

    private static byte[] SockaddrUn(string path)
    {
        const ushort AfUnix = 1;
        var name = Encoding.UTF8.GetBytes(path);
        if (name.Length > 107)
        {
            throw new ArgumentException($"unix socket path longer than 107 bytes: {path}");
        }

        var address = new byte[2 + name.Length + 1];
        BitConverter.TryWriteBytes(address, AfUnix);
        name.CopyTo(address, 2);
        return address;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint sendto(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);
}
