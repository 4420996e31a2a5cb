using Prometheus;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// One exported counter series (a metric without labels, or one label child resolved at start-up). <see cref="Add"/>
/// is prometheus-net's <c>Inc</c>: one interlocked add, no allocation, no label lookup, safe from any thread.
/// </summary>
internal sealed class EventCount(ICounter series)
{
    /// <summary>Whole events counted so far (the series only ever moves by whole numbers).</summary>
    public long Value => (long)series.Value;

    public void Add(long count = 1) => series.Inc(count);
}
