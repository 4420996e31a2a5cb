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

    public InProcessReceiver(string directory, LineQueue queue, ForwarderMetrics metrics)
    {
        _metrics = metrics;
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        Socket = ListeningSocket.Bind(new SocketSettings(Path.Combine(directory, "in.sock"), mode, null, null, queue.Capacity, TimeSpan.FromSeconds(1), 0));

        // The loop notices Stop when this timeout wakes it; the daemon's second would make every test wait for it.
        Socket.Socket.ReceiveTimeout = 20;
        Receiver = new Receiver(Socket, queue, metrics);
        Receiver.Start();
        _sender = new DatagramSender(Socket.Path);
    }

    public ListeningSocket Socket { get; }

    public Receiver Receiver { get; }

    public void Send(string line) => _sender.Send(line);

    /// <summary>Waits until the thread has taken <paramref name="total"/> lines off the socket and published or refused each.</summary>
    public void WaitUntilHandled(long total) =>
        SpinWait.SpinUntil(
            () => TestMetrics.Value(_metrics.Received) == total && Receiver.Published + TestMetrics.Value(_metrics.Dropped, Reasons.QueueFull) == total,
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
