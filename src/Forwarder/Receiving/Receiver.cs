using System.Diagnostics;
using System.Net.Sockets;
using HaproxyKafka.Forwarder.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// The dedicated receive thread. Each wake-up reads every datagram the kernel queued (up to 64 per system call,
/// <see cref="DatagramBatchReader"/>), copies them into the <see cref="LineQueue"/>'s ring, counts the batch and
/// publishes it with one wake of a worker. It never waits on parsing or Kafka, because with <c>max_dgram_qlen</c>
/// 10 a millisecond's stall loses lines in the kernel where nobody counts them: when the ring has no room for a
/// line, the line is counted as dropped here, where it is still visible. With <c>socket.allowed_uids</c> a datagram
/// from another sender is refused here too (<see cref="RefusedSenders"/>), before it takes room in the ring.
/// </summary>
internal sealed class Receiver
{
    // Larger than any datagram HAProxy can send (len is at most 65535), so the kernel never cuts one silently.
    private const int MaxDatagram = 65536 + 512;
    private const int BatchSize = 64;

    private readonly ListeningSocket _socket;
    private readonly LineQueue _queue;
    private readonly ForwarderMetrics _metrics;
    private readonly Thread _thread;
    private readonly SenderAllowList? _allowedSenders;
    private readonly RefusedSenders _refusedSenders;
    private volatile bool _stopping;
    private long _heartbeat = Environment.TickCount64;
    private long _published;

    /// <param name="log">Where refused senders are warned about (rate-limited).</param>
    /// <param name="time">Paces those warnings; the system clock unless a test steps it.</param>
    public Receiver(ListeningSocket socket, LineQueue queue, ForwarderMetrics metrics, ILogger? log = null, TimeProvider? time = null)
    {
        _socket = socket;
        _queue = queue;
        _metrics = metrics;
        _allowedSenders = socket.AllowedSenders;
        _refusedSenders = new RefusedSenders(metrics, log ?? NullLogger.Instance, time ?? TimeProvider.System);
        _thread = new Thread(Run) { Name = "haproxykafka-receive", IsBackground = true, Priority = ThreadPriority.AboveNormal };
    }

    /// <summary>When the loop last came round (a batch or the poll timeout); stale means the thread is stuck.</summary>
    public TimeSpan SinceHeartbeat => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _heartbeat));

    /// <summary>
    /// Lines this thread handed to the queue (received minus those the full ring or the sender check refused). Written only by the receive thread, after the
    /// batch is counted and published; the in-process tests wait on it to know a datagram has been fully handled.
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

    private bool IsAllowed(DatagramBatchReader reader, int index)
    {
        if (reader.TryGetSender(index, out var sender))
        {
            if (_allowedSenders!.Allows(sender.Uid))
            {
                return true;
            }

            _refusedSenders.Refuse(sender);
            return false;
        }

        _refusedSenders.Refuse(null);
        return false;
    }

    private void Run()
    {
        // The socket's receive timeout (a second in the daemon) paces the heartbeat while HAProxy is idle; the poll
        // waits as long when the descriptor is non-blocking and the read returns at once.
        var idleWait = _socket.Socket.ReceiveTimeout > 0 ? _socket.Socket.ReceiveTimeout : 1000;
        using var reader = new DatagramBatchReader(_socket.Socket, BatchSize, MaxDatagram, readSenders: _allowedSenders is not null);
        while (true)
        {
            // Stopping: take what is queued without waiting, and end at the first empty read. Waiting for the next
            // datagram would never end while a successor shares the socket and HAProxy keeps sending.
            var count = reader.Receive(wait: !_stopping);
            Interlocked.Exchange(ref _heartbeat, Environment.TickCount64);
            if (count == 0)
            {
                if (_stopping)
                {
                    break;
                }

                reader.WaitReadable(idleWait);
                continue;
            }

            if (count < 0)
            {
                if (_stopping)
                {
                    break;
                }

                throw new SocketException(reader.LastError);
            }

            var receivedAt = Stopwatch.GetTimestamp();
            var refused = 0;
            var notAllowed = 0;
            for (var i = 0; i < count; i++)
            {
                if (_allowedSenders is not null && !IsAllowed(reader, i))
                {
                    // Not mapped and not dead-lettered: whoever wrote it could fill the dead-letter disk.
                    notAllowed++;
                }
                else if (!_queue.TryAppend(reader.Datagram(i), receivedAt))
                {
                    refused++;
                }
            }

            _metrics.Received.Add(count);
            if (refused > 0)
            {
                _metrics.DroppedQueueFull.Add(refused);
                _metrics.SocketDropped.Add(refused);
                _metrics.SocketSaturation.Add(refused);
            }

            _queue.Publish();
            Volatile.Write(ref _published, _published + count - refused - notAllowed);
        }
    }
}
