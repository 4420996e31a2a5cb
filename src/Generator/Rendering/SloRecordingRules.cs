using System.Globalization;

namespace HaproxyKafka.Generator.Rendering;

/// <summary>
/// Recording rules for HAProxy's SLO (seed 002), computed from the forwarder's <c>requests_total</c> and
/// <c>time_firstbyte_seconds</c>: per instance, over 5 minutes and 1 hour, the share of requests without a
/// proxy-originated error (termination <c>I R D U K L</c>) and the share whose first byte came within the latency
/// threshold. Expressions are written here once from the metric prefix; the template prints the list.
/// </summary>
public static class SloRecordingRules
{
    /// <summary>The SLO's latency threshold in seconds; the daemon's histogram has a bucket at exactly this bound.</summary>
    public const double LatencyThreshold = 0.05;

    /// <summary>The <c>termination</c> label value the daemon gives I R D U K L.</summary>
    public const string ProxyErrorLabel = "proxy_error";

    public static IReadOnlyList<string> Windows { get; } = ["5m", "1h"];

    public static IReadOnlyList<RecordingRule> For(string prefix)
    {
        var threshold = LatencyThreshold.ToString(CultureInfo.InvariantCulture);
        var metric = prefix.TrimEnd('_');
        return
        [
            .. Windows.Select(w => new RecordingRule($"instance:{metric}_requests:rate{w}", $"sum by (instance) (rate({prefix}requests_total[{w}]))")),
            .. Windows.Select(w => new RecordingRule($"instance:{metric}_slo_availability:ratio_rate{w}",
                $"1 - (sum by (instance) (rate({prefix}requests_total{{termination=\"{ProxyErrorLabel}\"}}[{w}])) / sum by (instance) (rate({prefix}requests_total[{w}])))")),
            .. Windows.Select(w => new RecordingRule($"instance:{metric}_slo_latency:ratio_rate{w}",
                $"sum by (instance) (rate({prefix}time_firstbyte_seconds_bucket{{le=\"{threshold}\"}}[{w}])) / sum by (instance) (rate({prefix}time_firstbyte_seconds_count[{w}]))")),
        ];
    }
}

/// <summary>One Prometheus recording rule: the series it records and its expression.</summary>
public sealed record RecordingRule(string Record, string Expr);
