using System.Collections.Immutable;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Harness;

namespace HaproxyKafka.Forwarder.Tests;

/// <summary>
/// The one place the unit tests build <see cref="ForwarderMetrics"/> and read its values: when the metric types
/// change, only this file does.
/// </summary>
internal static class TestMetrics
{
    public static readonly MonitoringSettings Settings = new(
        EnablePprof: false,
        EnablePrometheus: true,
        ServerBind: "127.0.0.1:0",
        PrometheusPrefix: "haproxykafka_",
        ParsingBuckets: [1e-5, 1e-3],
        ProcessingBuckets: [1e-5, 1e-3],
        DeliveryBuckets: [1e-3, 1],
        StallTimeout: TimeSpan.FromSeconds(30));

    /// <param name="inFlight">What the <c>in_flight_lines</c> gauge reads (the pipeline's own measure).</param>
    public static ForwarderMetrics Create(Func<long>? inFlight = null) => new(Settings, () => inFlight?.Invoke() ?? 0);

    public static long Value(EventCount counter) => counter.Value;

    public static long Value(LabeledCounter counter, string label) => counter[label];

    /// <summary>The sum over every label value.</summary>
    public static long Total(LabeledCounter counter) => counter.Total;

    /// <summary>Every label value with a non-zero count.</summary>
    public static ImmutableDictionary<string, long> NonZero(LabeledCounter counter) =>
        counter.Snapshot().Where(kv => kv.Value != 0).ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The ledger as the daemon reports it, with <paramref name="inFlight"/> measured by the caller.</summary>
    public static Ledger Ledger(ForwarderMetrics metrics, long inFlight) =>
        new(Value(metrics.Received), Value(metrics.Delivered), Total(metrics.DeadLettered), Total(metrics.Dropped), inFlight);
}
