using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// A successor's end of the stream its predecessor handed over (<see cref="Handover.LinkFd"/>): it reports
/// <c>READY pid</c> once it receives, and learns with <c>MAINPID</c> that systemd now takes it as the main process.
/// </summary>
internal sealed class PredecessorLink : IDisposable
{
    private readonly Socket _socket;

    private PredecessorLink(Socket socket) => _socket = socket;

    public static PredecessorLink? FromEnvironment()
    {
        if (Handover.FromEnvironment() is not { } handover)
        {
            return null;
        }

        FileDescriptors.KeepFromChildren(handover.LinkFd);
        return new PredecessorLink(new Socket(new SafeSocketHandle(handover.LinkFd, ownsHandle: true)));
    }

    /// <summary>Reports readiness and waits for the predecessor's answer; the reason when it did not come.</summary>
    public string? ReportReady(TimeSpan timeout)
    {
        try
        {
            _socket.Send(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{SuccessorProcess.ReadyWord} {Environment.ProcessId}\n")));
            var answer = SuccessorProcess.ReadLine(_socket, timeout);
            return answer switch
            {
                SuccessorProcess.MainPidWord => null,
                null => "the previous haproxykafka closed the handover stream without confirming it (it gave up or exited)",
                _ => $"the previous haproxykafka answered '{answer}' instead of {SuccessorProcess.MainPidWord}",
            };
        }
        catch (SocketException e)
        {
            return $"the previous haproxykafka did not confirm the handover: {e.Message}";
        }
    }

    public void Dispose() => _socket.Dispose();
}
