using HaproxyKafka.Forwarder.Metrics;

namespace HaproxyKafka.Forwarder.Tap;

/// <summary>
/// <c>tap_lines_total{outcome}</c>: what happened to lines offered to tap clients. The tap is lossy by design;
/// these say how lossy, and none of them is a line lost by the pipeline.
/// </summary>
internal sealed class TapCounters
{
    public static readonly string[] Outcomes = ["sent", "filtered", "rate_limited", "backlog_full"];

    public TapCounters(ForwarderMetrics metrics)
    {
        var lines = metrics.AddLabeledCounter("tap_lines_total",
            "Lines copied to tap clients (sent), or not: filtered out, over the client's rate, or its backlog full. Never a pipeline loss.",
            "outcome", Outcomes);
        Sent = lines.For("sent");
        Filtered = lines.For("filtered");
        RateLimited = lines.For("rate_limited");
        BacklogFull = lines.For("backlog_full");
    }

    public EventCount Sent { get; }

    public EventCount Filtered { get; }

    public EventCount RateLimited { get; }

    public EventCount BacklogFull { get; }
}
