using HaproxyKafka.Decoder.Mapping;
using Prometheus;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// HAProxy's SLO from the stream (seed 002): forwarded requests by who ended the session and status class, and a
/// histogram of the time to first byte. Both label sets are fixed (6 × 6 children, created here), so the series count
/// never depends on traffic. Workers count into a <see cref="SloTally"/> of their own and publish it in one go.
/// </summary>
internal sealed class SloMetrics
{
    /// <summary>Upper bounds in seconds; 0.05 is the SLO's 50 ms threshold, so the latency SLI is one bucket.</summary>
    public static readonly double[] FirstByteBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static readonly string[] TerminationLabels = ["normal", "client", "server", "proxy_error", "proxy_deny", "unknown"];

    public static readonly string[] StatusLabels = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

    private readonly ICounter[] _requests;

    public SloMetrics(IMetricFactory factory, string prefix)
    {
        var requests = factory.CreateCounter(prefix + "requests_total",
            "Forwarded requests by who ended the session (HAProxy's %ts: proxy_error is I R D U K L, the SLO's proxy-originated errors) and status class.",
            ["termination", "status_class"]);
        _requests = new ICounter[TerminationLabels.Length * StatusLabels.Length];
        for (var t = 0; t < TerminationLabels.Length; t++)
        {
            for (var s = 0; s < StatusLabels.Length; s++)
            {
                _requests[Index((TerminationClass)t, (StatusClass)s)] = requests.WithLabels(TerminationLabels[t], StatusLabels[s]);
            }
        }

        FirstByte = factory.CreateHistogram(prefix + "time_firstbyte_seconds",
            "HAProxy's time to first byte of forwarded requests (%Tr: the server's response headers); requests without one are not observed.",
            new HistogramConfiguration { Buckets = FirstByteBuckets });
    }

    public static int Cells => TerminationLabels.Length * StatusLabels.Length;

    public IHistogram FirstByte { get; }

    public static int Index(TerminationClass termination, StatusClass status) => ((int)termination * StatusLabels.Length) + (int)status;

    public ICounter Requests(int cell) => _requests[cell];

    public SloTally NewTally() => new(this);
}
