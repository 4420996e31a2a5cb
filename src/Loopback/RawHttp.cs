using System.Net.Sockets;
using System.Text;

namespace HaproxyKafka.Loopback;

/// <summary>
/// HTTP/1.1 requests written byte by byte, so headers can carry what HttpClient refuses: invalid UTF-8, raw
/// quotes and backslashes, a malformed request line.
/// </summary>
public static class RawHttp
{
    public static async Task<string> SendAsync(int port, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadToEndAsync(cts.Token);
    }

    public static byte[] Request(string requestLine, IEnumerable<KeyValuePair<string, byte[]>> headers)
    {
        var bytes = new List<byte>(Encoding.ASCII.GetBytes(requestLine + "\r\n"));
        foreach (var (name, value) in headers)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(name + ": "));
            bytes.AddRange(value);
            bytes.AddRange("\r\n"u8.ToArray());
        }

        bytes.AddRange("Connection: close\r\n\r\n"u8.ToArray());
        return [.. bytes];
    }
}
