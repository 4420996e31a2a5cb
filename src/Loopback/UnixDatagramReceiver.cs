using System.Net.Sockets;

namespace HaproxyKafka.Loopback;

/// <summary>A unix datagram socket the test owns, standing in for the forwarder: it collects what HAProxy sends.</summary>
public sealed class UnixDatagramReceiver : IDisposable
{
    private readonly Socket _socket;

    public UnixDatagramReceiver(string path)
    {
        Path = path;
        File.Delete(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
    }

    public string Path { get; }

    public async Task<byte[]> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(timeout);
        var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return buffer[..length];
    }

    /// <summary>Receives until a datagram matches, so HAProxy's own notices on the same socket are skipped.</summary>
    public async Task<byte[]> ReceiveMatchingAsync(Func<byte[], bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("no matching datagram arrived");
            }

            var datagram = await ReceiveAsync(left);
            if (match(datagram))
            {
                return datagram;
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
