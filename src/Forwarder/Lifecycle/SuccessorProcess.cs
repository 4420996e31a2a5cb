using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using HaproxyKafka.Forwarder.Receiving;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// The daemon started again from its own executable on SIGUSR2, with the listening socket and one end of a stream
/// inherited (<see cref="Handover"/>). It reads the socket as soon as it has started, alongside this process; it
/// reports <c>READY pid</c> on the stream and waits for <c>MAINPID</c>, sent once systemd has been told.
/// </summary>
internal sealed class SuccessorProcess : IDisposable
{
    public const string ReadyWord = "READY";
    public const string MainPidWord = "MAINPID";

    private readonly Process _process;
    private readonly Socket _link;

    private SuccessorProcess(Process process, Socket link)
    {
        _process = process;
        _link = link;
    }

    public int Pid => _process.Id;

    public static SuccessorProcess Start(SuccessorCommand command, ListeningSocket socket)
    {
        var (ours, theirs) = FileDescriptors.StreamPair();
        var link = new Socket(new SafeSocketHandle(ours, ownsHandle: true));
        int? childLink = null;
        int? childSocket = null;
        try
        {
            childLink = FileDescriptors.DupForChild(theirs);
            childSocket = FileDescriptors.DupForChild(socket.Socket.Handle);
            var info = new ProcessStartInfo(command.Executable) { UseShellExecute = false };
            foreach (var argument in command.Arguments)
            {
                info.ArgumentList.Add(argument);
            }

            new Handover(childSocket.Value, socket.OwnsPath, childLink.Value).WriteTo(info.Environment);
            return new SuccessorProcess(Process.Start(info) ?? throw new IOException($"{command.Executable} did not start"), link);
        }
        catch
        {
            link.Dispose();
            throw;
        }
        finally
        {
            // The child has its copies (or there is no child); ours must not reach a later one.
            FileDescriptors.Close(theirs);
            if (childLink is { } l)
            {
                FileDescriptors.Close(l);
            }

            if (childSocket is { } s)
            {
                FileDescriptors.Close(s);
            }
        }
    }

    /// <summary>Waits for <c>READY pid</c>; null when it came, else why not (the process exited, or it timed out).</summary>
    public string? WaitUntilReady(TimeSpan timeout)
    {
        string? line;
        try
        {
            line = ReadLine(_link, timeout);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return $"not ready within {timeout.TotalSeconds:0} s";
        }

        if (line is null)
        {
            // The stream closes when the process exits; give the exit a moment to be reaped so its code can be named.
            return _process.WaitForExit(TimeSpan.FromSeconds(5)) ? $"it exited with code {_process.ExitCode} before it was ready" : "it closed the handover stream before it was ready";
        }

        var expected = string.Create(CultureInfo.InvariantCulture, $"{ReadyWord} {_process.Id}");
        return line == expected ? null : $"it said '{line}' instead of '{expected}'";
    }

    /// <summary>Tells the successor systemd takes it as the main PID now.</summary>
    public void ConfirmMainPid() => _link.Send(Encoding.ASCII.GetBytes(MainPidWord + "\n"));

    /// <summary>
    /// Stops a successor that did not become ready: SIGTERM, so what it already read is drained and delivered like
    /// on any stop (the socket stays with this process); SIGKILL only if it does not exit within the timeout.
    /// </summary>
    public void Abandon(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        ProcessSignals.Terminate(_process.Id);
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            _process.WaitForExit(timeout);
        }
    }

    public void Dispose()
    {
        _link.Dispose();
        _process.Dispose();
    }

    /// <summary>One <c>\n</c>-terminated ASCII line, or null at end of stream.</summary>
    internal static string? ReadLine(Socket socket, TimeSpan timeout)
    {
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (socket.Receive(one) == 0)
            {
                return line.Length == 0 ? null : line.ToString();
            }

            if (one[0] == (byte)'\n')
            {
                return line.ToString();
            }

            line.Append((char)one[0]);
        }
    }
}
