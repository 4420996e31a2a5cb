using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>
/// Sequence-numbered request lines at a steady rate from a thread of their own, sent as HAProxy sends them
/// (non-blocking: EAGAIN is a drop the sender counts, as HAProxy's DroppedLogs). Every <c>rejectEvery</c>-th line
/// carries a fingerprint the daemon does not accept, so it is dead-lettered. Remembers which sequences the socket
/// accepted: those are the lines the daemon must account for.
/// </summary>
internal sealed class SteadyLoad : IDisposable
{
    /// <summary>A fingerprint no parser table has: the line is dead-lettered as <c>fingerprint_mismatch</c>.</summary>
    public const string ForeignFingerprint = "0000000000000000";

    private readonly DatagramSender _sender;
    private readonly string _fingerprint;
    private readonly int _linesPerMillisecond;
    private readonly int _rejectEvery;
    private readonly List<int> _accepted = [];
    private readonly Thread _thread;
    private readonly Stopwatch _clock = new();
    private volatile bool _stop;
    private long _acceptedCount;
    private long _refused;

    /// <param name="linesPerMillisecond">Lines sent between 1 ms sleeps (a sleep takes a little longer than 1 ms, so the rate is somewhat lower).</param>
    /// <param name="rejectEvery">Every this many lines one is a rejection; 0 for none.</param>
    public SteadyLoad(string socketPath, string fingerprint, int linesPerMillisecond, int rejectEvery = 0, int firstSequence = 0)
    {
        _sender = new DatagramSender(socketPath);
        _fingerprint = fingerprint;
        _linesPerMillisecond = linesPerMillisecond;
        _rejectEvery = rejectEvery;
        _thread = new Thread(() => Run(firstSequence)) { Name = "steady load", IsBackground = true };
        _clock.Start();
        _thread.Start();
    }

    /// <summary>Lines the socket accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _acceptedCount);

    public long WouldBlock => _sender.WouldBlock;

    /// <summary>Sends that failed otherwise (ECONNREFUSED once nobody holds the socket).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The sequences the socket accepted; read after <see cref="Stop"/>.</summary>
    public IReadOnlyList<int> AcceptedSequences => _accepted;

    public TimeSpan Elapsed => _clock.Elapsed;

    public bool IsRejection(int sequence) => _rejectEvery > 0 && sequence % _rejectEvery == _rejectEvery - 1;

    public void Stop()
    {
        _stop = true;
        _thread.Join();
        _clock.Stop();
    }

    public void Dispose()
    {
        if (!_stop)
        {
            Stop();
        }

        _sender.Dispose();
    }

    private void Run(int sequence)
    {
        while (!_stop)
        {
            for (var i = 0; i < _linesPerMillisecond && !_stop; i++, sequence++)
            {
                var line = Encoding.UTF8.GetBytes(Lines.Request(IsRejection(sequence) ? ForeignFingerprint : _fingerprint, sequence));
                try
                {
                    if (_sender.TrySend(line))
                    {
                        _accepted.Add(sequence);
                        Interlocked.Increment(ref _acceptedCount);
                    }
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref _refused);
                }
            }

            Thread.Sleep(1);
        }
    }
}
