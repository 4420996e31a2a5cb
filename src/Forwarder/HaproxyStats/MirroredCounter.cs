using Prometheus;

namespace HaproxyKafka.Forwarder.HaproxyStats;

/// <summary>
/// Follows one of HAProxy's counters with a counter of the daemon's own: the first reading is the baseline (what
/// HAProxy counted before this daemon looked is not ours to report), each later one adds its increase, and a new
/// HAProxy process (another pid, or a value that went down: a restart or reload) starts from zero, so its whole value
/// is the increase. The exported series is monotonic for the daemon's lifetime, as Prometheus expects of a counter.
/// </summary>
internal sealed class MirroredCounter(ICounter series)
{
    private long? _pid;
    private long _last;

    public double Value => series.Value;

    public void Observe(long pid, long value)
    {
        if (_pid is null)
        {
            _pid = pid;
            _last = value;
            return;
        }

        var increase = pid != _pid || value < _last ? value : value - _last;
        _pid = pid;
        _last = value;
        if (increase > 0)
        {
            series.Inc(increase);
        }
    }
}
