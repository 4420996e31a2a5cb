using HaproxyKafka.Forwarder.Metrics;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// Datagrams from senders <c>socket.allowed_uids</c> does not list: counted as <c>dropped{reason="sender_not_allowed"}</c>
/// and never dead-lettered, because whoever can write to the socket could otherwise fill the dead-letter file's disk
/// or the DLQ topic. The warning names the uid and pid (the kernel's record, which an unprivileged sender cannot forge)
/// at the first refusal and then at most once per <see cref="WarningInterval"/>, with the count since the last one, so
/// a flood costs the receive thread a counter increment per datagram and the log one line per interval.
/// </summary>
internal sealed partial class RefusedSenders
{
    public static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly EventCount _dropped;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private long _lastWarning;
    private long _sinceWarning;
    private bool _warned;

    public RefusedSenders(ForwarderMetrics metrics, ILogger log, TimeProvider time)
    {
        _dropped = metrics.Dropped.For(Reasons.SenderNotAllowed);
        _log = log;
        _time = time;
    }

    /// <summary>Counts a refused datagram; called by the receive thread only. <paramref name="sender"/> is null when the kernel gave no credentials.</summary>
    public void Refuse(SenderCredentials? sender)
    {
        _dropped.Add();
        _sinceWarning++;
        var now = _time.GetTimestamp();
        if (_warned && _time.GetElapsedTime(_lastWarning, now) < WarningInterval)
        {
            return;
        }

        if (sender is { Pid: 0 } unrecorded)
        {
            Log.RefusedWithoutPid(_log, _sinceWarning, unrecorded.Uid);
        }
        else if (sender is { } s)
        {
            Log.Refused(_log, _sinceWarning, s.Uid, s.Pid);
        }
        else
        {
            Log.RefusedWithoutCredentials(_log, _sinceWarning);
        }

        _warned = true;
        _lastWarning = now;
        _sinceWarning = 0;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "refused {Count} datagram(s) from senders not in socket.allowed_uids since the last such warning, the latest from uid {Uid} (pid {Pid}); counted as dropped{{reason=\"sender_not_allowed\"}}, not dead-lettered")]
        public static partial void Refused(ILogger logger, long count, uint uid, int pid);

        [LoggerMessage(Level = LogLevel.Warning, Message = "refused {Count} datagram(s) from senders not in socket.allowed_uids since the last such warning, the latest from uid {Uid} with pid 0: a sender in another pid namespace, or a datagram queued before the socket had SO_PASSCRED, which the kernel reports as uid 65534 (PassCredentials=yes in haproxykafka.socket records every sender); counted as dropped{{reason=\"sender_not_allowed\"}}, not dead-lettered")]
        public static partial void RefusedWithoutPid(ILogger logger, long count, uint uid);

        [LoggerMessage(Level = LogLevel.Warning, Message = "refused {Count} datagram(s) from senders not in socket.allowed_uids since the last such warning, the latest with no sender credentials; counted as dropped{{reason=\"sender_not_allowed\"}}, not dead-lettered")]
        public static partial void RefusedWithoutCredentials(ILogger logger, long count);
    }
}
