using System.Net.Sockets;
using System.Text;

namespace HaproxyKafka.Forwarder.Tests.E2E;

/// <summary>Writes datagrams the way HAProxy does: non-blocking, unconnected; a full socket (EAGAIN) is a drop it counts.</summary>
internal sealed class DatagramSender(string path) : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
    private readonly UnixDomainSocketEndPoint _target = new(path);

    public long Sent { get; private set; }

    public long WouldBlock { get; private set; }

    public bool TrySend(byte[] datagram)
    {
        try
        {
            _socket.SendTo(datagram, _target);
            Sent++;
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            WouldBlock++;
            return false;
        }
    }

    /// <summary>Retries on EAGAIN, for tests that need every line to reach the daemon.</summary>
    public void Send(byte[] datagram)
    {
        while (!TrySend(datagram))
        {
            Thread.Sleep(1);
        }
    }

    public void Send(string datagram) => Send(Encoding.UTF8.GetBytes(datagram));

    public void Dispose() => _socket.Dispose();
}
