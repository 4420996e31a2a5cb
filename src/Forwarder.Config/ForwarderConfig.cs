using System.Collections.Immutable;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>
/// <c>/etc/haproxykafka/config.yaml</c>: the keys Wikimedia's Puppet renders for the Go forwarder today (type
/// <c>Haproxykafka::Config</c>) plus <c>parser_table</c> and a few optional ones. Immutable; a reload builds a new one.
/// </summary>
public sealed record ForwarderConfig(
    int Workers,
    double? MessageBuffer,
    string SdId,
    string Hostname,
    SocketSettings Socket,
    BatchSettings LogParser,
    KafkaSettings Kafka,
    MonitoringSettings Monitoring,
    TransformRules TransformRules,
    string ParserTable,
    string DeadLetterPath,
    ImmutableArray<string> AcceptedFingerprints,
    string File,
    ImmutableDictionary<string, SourceLocation> Locations)
{
    /// <summary>
    /// Drop-in migration: map lines that carry no fingerprint param by param name (counted), so the daemon can replace
    /// the previous one before HAProxy's config is regenerated. Off by default; lines of another schema stay refused.
    /// </summary>
    public bool MapLinesWithoutFingerprint { get; init; }

    /// <summary><c>spool:</c>; disabled unless <c>spool.path</c> is set.</summary>
    public SpoolSettings Spool { get; init; } = SpoolSettings.Disabled;

    /// <summary><c>dead_letter_queue:</c>, the bound between the hot threads and the dead-letter writer.</summary>
    public DeadLetterQueueSettings DeadLetterQueue { get; init; } = DeadLetterQueueSettings.Default;

    /// <summary>Where a key (dotted, e.g. <c>kafka.topic</c>) was written; the file itself when it was not.</summary>
    public SourceLocation At(string key) =>
        Locations.TryGetValue(key, out var at) ? at : new SourceLocation(File, 1, 1);

    /// <summary>The optional <c>haproxy:</c> section (HAProxy's stats socket); none unless configured.</summary>
    public HaproxySettings Haproxy { get; init; } = HaproxySettings.None;
}

public sealed record SocketSettings(string Path, UnixFileMode Mode, string? User, string? Group, int BatchSize, TimeSpan BatchDeadline, int ReceiveBufferBytes)
{
    /// <summary><c>socket.queue_bytes</c> when the file does not say: 16 MiB, ~16 000 production lines.</summary>
    public const int DefaultQueueBytes = 16 << 20;

    /// <summary>
    /// <c>socket.queue_bytes</c>: memory for received lines waiting for a worker (the internal queue is a byte ring of
    /// this size), and the default of librdkafka's <c>queue.buffering.max.kbytes</c>.
    /// </summary>
    public int QueueBytes { get; init; } = DefaultQueueBytes;

    /// <summary>
    /// <c>socket.allowed_uids</c>: the only senders whose datagrams are mapped (checked with <c>SO_PASSCRED</c>); empty
    /// when the key is absent, and then every sender the socket's mode lets write is accepted.
    /// </summary>
    public ImmutableArray<AllowedSender> AllowedSenders { get; init; } = [];
}

public sealed record BatchSettings(int BatchSize, TimeSpan BatchDeadline);

public sealed record KafkaSettings(
    string Topic,
    string DlqTopic,
    TimeSpan FlushTimeout,
    int BatchSize,
    TimeSpan BatchDeadline,
    ImmutableArray<RdkafkaProperty> Rdkafka);

/// <summary>One <c>kafka.rdkafka</c> entry, passed to librdkafka unchanged and in file order.</summary>
public sealed record RdkafkaProperty(string Name, string Value, SourceLocation Location);

public sealed record MonitoringSettings(
    bool EnablePprof,
    bool EnablePrometheus,
    string ServerBind,
    string PrometheusPrefix,
    ImmutableArray<double> ParsingBuckets,
    ImmutableArray<double> ProcessingBuckets,
    ImmutableArray<double> DeliveryBuckets,
    TimeSpan StallTimeout)
{
    /// <summary><c>monitoring.tap_socket</c> as written: null when not set, empty to switch the tap off.</summary>
    public string? TapSocketPath { get; init; }

    /// <summary>
    /// Where <c>haproxykafka tap</c> connects: the configured path, or <c>tap.sock</c> beside the datagram socket (a
    /// directory the daemon owns); empty when switched off.
    /// </summary>
    public string TapSocket(string datagramSocket) =>
        TapSocketPath ?? Path.Combine(Path.GetDirectoryName(datagramSocket) is { Length: > 0 } directory ? directory : "/run/haproxykafka", "tap.sock");
}

public sealed record TransformRules(string HaproxyFormat, string DateFormat, string DateTz);

/// <summary>
/// <c>haproxy.stats_socket</c>: HAProxy's stats unix socket (<c>stats socket PATH level user</c>), read every
/// <c>haproxy.stats_interval</c> so HAProxy's own count of lines it could not log sits beside the daemon's.
/// </summary>
public sealed record HaproxySettings(string? StatsSocket, TimeSpan StatsInterval)
{
    public static readonly TimeSpan DefaultStatsInterval = TimeSpan.FromSeconds(15);

    public static HaproxySettings None { get; } = new(null, DefaultStatsInterval);
}
