using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// The monitoring listener with SO_REUSEPORT, so the successor started on SIGUSR2 can listen on
/// <c>monitoring.server_bind</c> while this process still does (the kernel spreads connections over both until this
/// one closes). A port held by anything that did not set the option, another program, is still refused.
/// </summary>
internal static class SharedPort
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    public static Socket Bind(EndPoint endPoint)
    {
        if (endPoint is not IPEndPoint)
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);
        }

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint is IPEndPoint { Address: var address } && address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.Bind(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
