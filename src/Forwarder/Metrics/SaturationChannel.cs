namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// One saturation channel (<c>socket</c>, <c>kafka-queue</c>, <c>kafka-msg</c>), counted under both names: the
/// counter <c>saturation_errors_total</c> and production's <c>saturation_errors</c>, a gauge carrying the same value
/// (see <see cref="ForwarderMetrics"/> for why a gauge).
/// </summary>
internal sealed class SaturationChannel(EventCount total, Prometheus.Gauge.Child legacy)
{
    public long Value => total.Value;

    public void Add(long count = 1)
    {
        total.Add(count);
        legacy.Inc(count);
    }
}
