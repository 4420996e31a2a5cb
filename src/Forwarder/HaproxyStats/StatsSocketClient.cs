using System.Net.Sockets;
using System.Text;

namespace HaproxyKafka.Forwarder.HaproxyStats;

/// <summary>
/// One request on HAProxy's stats socket (a unix stream socket, <c>stats socket PATH level user</c>): HAProxy reads
/// the commands, writes each answer followed by an empty line, and closes the connection (non-interactive mode).
/// </summary>
internal static class StatsSocketClient
{
    /// <summary><c>show info</c> (DroppedLogs, Pid) and <c>show stat</c> for frontends only (type 1): requests per frontend.</summary>
    public const string Commands = "show info;show stat -1 1 -1\n";

    public static async Task<string> QueryAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), deadline.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(Commands), SocketFlags.None, deadline.Token);
        var answer = new StringBuilder();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
        {
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return answer.ToString();
    }
}
