using System.Globalization;

namespace HaproxyKafka.Generator.Rendering;

/// <summary>
/// The Prometheus alert rules for the forwarder: production's five (the monitoring contract) plus the ones the
/// daemon's own signals make possible. Every expression, duration and threshold is written here once, from one metric
/// prefix, so a different <c>monitoring.prometheus_prefix</c> is one change (<see cref="DefaultPrefix"/>); the
/// template prints the list.
/// </summary>
public static class AlertRules
{
    /// <summary>The daemon's default <c>monitoring.prometheus_prefix</c>.</summary>
    public const string DefaultPrefix = "haproxykafka_";

    /// <summary>Where the runbook sections live; each alert links to <c>#</c> its name in lower case.</summary>
    public const string RunbookDocument = "docs/operations.md";

    /// <summary>Production's scrape targets: the cache hosts' daemon on its default port 9341.</summary>
    public const string TargetSelector = "instance=~\"cp[0-9]{4}:9341\"";

    public const string ServiceUnit = "haproxykafka.service";

    /// <summary>The dropped-line reason that is the daemon working as intended (a notice, not a request).</summary>
    public const string IntendedDropReason = "not_a_request";

    /// <summary>
    /// The dead-letter reasons that mean HAProxy and the parser table disagree on the layout: the forwarder's
    /// <c>Rejection.FingerprintMissing</c> and <c>Rejection.FingerprintMismatch</c> labels (a test holds them equal).
    /// </summary>
    public static IReadOnlyList<string> FingerprintReasons { get; } = ["fingerprint_missing", "fingerprint_mismatch"];

    /// <summary>The share of <c>spool.max_bytes</c> in use above which HaproxyKafkaSpoolFilling fires.</summary>
    public const double SpoolFillingAbove = 0.5;

    /// <summary>HaproxyKafkaNoMessages' thresholds on forwarded messages per HAProxy request, by severity.</summary>
    public static IReadOnlyList<(string Severity, double Below)> NoMessagesThresholds { get; } = [("warning", 0.2), ("critical", 0.1)];

    public static IReadOnlyList<AlertRule> For(string prefix)
    {
        var fingerprint = string.Join('|', FingerprintReasons);

        // Forwarded messages per HAProxy request on the same host. The host is the instance without its port, so the
        // daemon's and HAProxy's exporters meet; a host whose daemon exports nothing compares as 0 through the up * 0
        // branch, so an absent metric still fires. A host without requests gives NaN and stays quiet.
        string NoMessages(double below) =>
            $"(sum by (host) ({Host($"rate({prefix}valid_messages_total[5m])")}) / sum by (host) ({Host("rate(haproxy_frontend_http_requests_total{proxy!=\"stats\"}[5m])")})" +
            $" or sum by (host) ({Host($"up{{{TargetSelector}}}")}) * 0) < {below.ToString(CultureInfo.InvariantCulture)}";

        return
        [
            new("HaproxyKafkaExporterDown", $"up{{{TargetSelector}}} == 0", "5m", "critical",
                "haproxykafka metrics on {{ $labels.instance }} cannot be scraped",
                "Prometheus cannot scrape {{ $labels.instance }}: the daemon is down, or its monitoring listener is."),
            .. NoMessagesThresholds.Select(t => new AlertRule("HaproxyKafkaNoMessages", NoMessages(t.Below), "10m", t.Severity,
                "haproxykafka on {{ $labels.host }} forwards too few of HAProxy's requests",
                $"haproxykafka on {{{{ $labels.host }}}} forwards {{{{ $value | humanizePercentage }}}} of the requests HAProxy serves there, below {(t.Below * 100).ToString("0.##", CultureInfo.InvariantCulture)}% (0% when the daemon exports nothing).")),
            new("HaproxyKafkaRestarted", $"increase(node_systemd_service_restart_total{{name=\"{ServiceUnit}\"}}[5m]) > 0", "0m", "warning",
                "haproxykafka restarted on {{ $labels.instance }}",
                $"systemd restarted {ServiceUnit} on {{{{ $labels.instance }}}} in the last 5 minutes."),
            new("HaproxyKafkaSocketDroppedMessages", $"avg_over_time(rate({prefix}socket_dropped_messages_total[5m])[15m:1m]) > 500", "0m", "warning",
                "haproxykafka on {{ $labels.instance }} drops messages at the socket",
                "{{ $labels.instance }} dropped {{ $value | humanize }} messages/s at its socket on average over 15 minutes."),
            new("HaproxyKafkaDeliveryErrors", $"irate({prefix}saturation_errors{{channel='kafka-msg'}}[5m]) >= 1", "0m", "warning",
                "haproxykafka on {{ $labels.instance }} fails to deliver to Kafka",
                "{{ $labels.instance }} fails {{ $value | humanize }} Kafka deliveries/s."),
            new("HaproxyKafkaUnhealthy", $"{prefix}healthy == 0", "5m", "critical",
                "haproxykafka on {{ $labels.instance }} is stalled",
                "{{ $labels.instance }} has had lines pending and none delivered or dead-lettered for monitoring.stall_timeout, for 5 minutes (/healthz answers 503; systemd's watchdog will restart it)."),
            new("HaproxyKafkaFingerprintMismatch", $"rate({prefix}dead_lettered_lines_total{{reason=~\"{fingerprint}\"}}[5m]) > 0", "0m", "critical",
                "haproxykafka on {{ $labels.instance }} dead-letters lines for {{ $labels.reason }}",
                "{{ $labels.instance }} dead-letters {{ $value | humanize }} lines/s for {{ $labels.reason }}: HAProxy's log layout and the parser table disagree. During a rollout, deploy the new config and parser table together, with accepted_fingerprints covering the window."),
            new("HaproxyKafkaDeadLetteredLines", $"rate({prefix}dead_lettered_lines_total{{reason!~\"{fingerprint}\"}}[5m]) > 0", "5m", "warning",
                "haproxykafka on {{ $labels.instance }} dead-letters lines for {{ $labels.reason }}",
                "{{ $labels.instance }} dead-letters {{ $value | humanize }} lines/s for {{ $labels.reason }}."),
            new("HaproxyKafkaHaproxyDroppedLogs", $"rate({prefix}haproxy_dropped_logs_total[5m]) > 0", "5m", "warning",
                "HAProxy on {{ $labels.instance }} drops log lines before haproxykafka sees them",
                "HAProxy on {{ $labels.instance }} could not hand {{ $value | humanize }} log lines/s to a logger (its DroppedLogs, read from haproxy.stats_socket): the forwarder's socket queue (net.unix.max_dgram_qlen) was full. These lines never reach the daemon."),
            new("HaproxyKafkaDroppedLines", $"rate({prefix}dropped_lines_total{{reason!=\"{IntendedDropReason}\"}}[5m]) > 0", "5m", "warning",
                "haproxykafka on {{ $labels.instance }} drops lines for {{ $labels.reason }}",
                "{{ $labels.instance }} drops {{ $value | humanize }} lines/s for {{ $labels.reason }}; they are neither forwarded nor dead-lettered."),
            new("HaproxyKafkaSpoolFilling", $"{prefix}spool_bytes / {prefix}spool_max_bytes > {SpoolFillingAbove.ToString(CultureInfo.InvariantCulture)}", "5m", "warning",
                "haproxykafka on {{ $labels.instance }} fills its disk spool",
                "{{ $labels.instance }}'s disk spool is {{ $value | humanizePercentage }} full: Kafka has not been taking its lines. Past spool.max_bytes new lines are dropped (dropped_lines_total{reason=\"spool_full\"})."),
            new("HaproxyKafkaSpoolReplayStalled", $"{prefix}spool_records > 0 and increase({prefix}spool_replayed_total[15m]) == 0", "15m", "warning",
                "haproxykafka on {{ $labels.instance }} does not replay its disk spool",
                "{{ $labels.instance }} holds {{ $value | humanize }} spooled messages and has replayed none within 15 minutes, for 15 minutes: Kafka still refuses them, or replay is stuck."),
        ];
    }

    private static string Host(string vector) => $"label_replace({vector}, \"host\", \"$1\", \"instance\", \"([^:]+)(:[0-9]+)?\")";
}

/// <summary>One Prometheus alerting rule; <see cref="Runbook"/> follows from the name.</summary>
public sealed record AlertRule(string Alert, string Expr, string For, string Severity, string Summary, string Description)
{
    public string Runbook => $"{AlertRules.RunbookDocument}#{Alert.ToLowerInvariant()}";
}
