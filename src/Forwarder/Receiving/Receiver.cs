using System.Net.Sockets;
using HaproxyKafka.Forwarder.Metrics;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// The dedicated receive thread. It only reads a datagram, copies it into a pooled slot and publishes it; it never
/// waits on parsing or Kafka, because with <c>max_dgram_qlen</c> 10 a millisecond's stall loses lines in the kernel
/// where nobody counts them. When no slot is free the line is counted as dropped here, where it is still visible.
/// </summary>
internal sealed class Receiver
{
    // Larger than any datagram HAProxy can send (len is at most 65535), so the kernel never cuts one silently.
    private const int MaxDatagram = 65536 + 512;

    private readonly ListeningSocket _socket;
    private readonly LineQueue _queue;
    private readonly ForwarderMetrics _metrics;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _heartbeat = Environment.TickCount64;
    private long _published;

    public Receiver(ListeningSocket socket, LineQueue queue, ForwarderMetrics metrics)
    {
        _socket = socket;
        _queue = queue;
        _metrics = metrics;
        _thread = new Thread(Run) { Name = "haproxykafka-receive", IsBackground = true, Priority = ThreadPriority.AboveNormal };
    }

    /// <summary>When the loop last came round (a datagram or the one-second timeout); stale means the thread is stuck.</summary>
    public TimeSpan SinceHeartbeat => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _heartbeat));

    /// <summary>
    /// Lines this thread handed to the queue (received minus refused). Written only by the receive thread; the
    /// in-process tests wait on it to know a datagram has been fully handled, not only counted.
    /// </summary>
    public long Published => Volatile.Read(ref _published);

    public void Start() => _thread.Start();

    /// <summary>
    /// Stops receiving without losing what the kernel already queued: the path is unlinked first when it is ours alone
    /// (<see cref="ListeningSocket.StopAccepting"/>), then the loop reads until the queue is empty and exits.
    /// </summary>
    public void Stop()
    {
        _socket.StopAccepting();
        _stopping = true;
        if (!_thread.Join(TimeSpan.FromSeconds(5)))
        {
            _socket.Interrupt();
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Run()
    {
        var staging = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        while (true)
        {
            if (_stopping && _socket.Socket.Available == 0)
            {
                break;
            }

            int length;
            try
            {
                length = _socket.Socket.Receive(staging, SocketFlags.None);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                Interlocked.Exchange(ref _heartbeat, Environment.TickCount64);
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_stopping)
                {
                    break;
                }

                throw;
            }

            Interlocked.Exchange(ref _heartbeat, Environment.TickCount64);
            _metrics.Received.Add();
            if (!_queue.TryRent(out var slot))
            {
                _metrics.DroppedQueueFull.Add();
                _metrics.SocketDropped.Add();
                _metrics.SocketSaturation.Add();
                continue;
            }

            slot.Fill(staging.AsSpan(0, length));
            _queue.Publish(slot);
            Volatile.Write(ref _published, _published + 1);
        }
    }
}
