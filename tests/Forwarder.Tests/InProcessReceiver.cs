using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Receiving;

namespace HaproxyKafka.Forwarder.Tests;

/// <summary>
/// The daemon's socket and receive thread in this process, and a sender that writes to it as HAProxy does.
/// Disposing stops the thread the daemon's way (read what the kernel queued, then end) before the socket closes.
/// </summary>
internal sealed class InProcessReceiver : IDisposable
{
    private readonly ForwarderMetrics _metrics;
    private readonly DatagramSender _sender;
    private bool _stopped;

    /// <param name="allowedUids"><c>socket.allowed_uids</c>; none means the key is absent.</param>
    /// <param name="log">Where the receiver warns about refused senders.</param>
    public InProcessReceiver(string directory, LineQueue queue, ForwarderMetrics metrics, IEnumerable<uint>? allowedUids = null, Microsoft.Extensions.Logging.ILogger? log = null)
    {
        _metrics = metrics;
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        var senders = (allowedUids ?? []).Select(uid => new AllowedSender(uid.ToString(System.Globalization.CultureInfo.InvariantCulture), uid, new Diagnostics.SourceLocation("test", 1, 1)));
        Socket = ListeningSocket.Bind(new SocketSettings(Path.Combine(directory, "in.sock"), mode, null, null, queue.Capacity, TimeSpan.FromSeconds(1), 0) { AllowedSenders = [.. senders] });

        // The loop notices Stop when this timeout wakes it; the daemon's second would make every test wait for it.
        Socket.Socket.ReceiveTimeout = 20;
        Receiver = new Receiver(Socket, queue, metrics, log);
        Receiver.Start();
        _sender = new DatagramSender(Socket.Path);
    }

    public ListeningSocket Socket { get; }

    public Receiver Receiver { get; }

    public void Send(string line) => _sender.Send(line);

    /// <summary>Waits until the thread has taken <paramref name="total"/> lines off the socket and published or refused each (full ring or sender).</summary>
    public void WaitUntilHandled(long total) =>
        SpinWait.SpinUntil(
            () => TestMetrics.Value(_metrics.Received) == total
                && Receiver.Published + TestMetrics.Value(_metrics.Dropped, Reasons.QueueFull) + TestMetrics.Value(_metrics.Dropped, Reasons.SenderNotAllowed) == total,
            TimeSpan.FromSeconds(10)).Should().BeTrue($"the receive thread handles {total} lines");

    /// <summary>Unlinks the path, reads what the kernel already queued, ends the thread.</summary>
    public void Stop()
    {
        if (!_stopped)
        {
            _stopped = true;
            Receiver.Stop();
        }
    }

    public void Dispose()
    {
        Stop();
        _sender.Dispose();
        Socket.Dispose();
    }
}
