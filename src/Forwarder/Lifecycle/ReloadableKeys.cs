using System.Collections;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// Which config keys a SIGHUP reload applies in place and which need a restart. In place: what only decides how a
/// line is mapped (the parser table, <c>sdid</c>, <c>accepted_fingerprints</c>, <c>map_lines_without_fingerprint</c>,
/// <c>transform_rules</c>): a new set of mappers takes them, nothing else is touched. Everything else was consumed at
/// start (the socket is bound, the producer built, the threads and the listener started), so a changed value is
/// named, counted and left as it runs. Every property of <see cref="ForwarderConfig"/> is in exactly one list (a test
/// holds it so): a key added to the config without being sorted here fails that test instead of being ignored.
/// </summary>
internal static class ReloadableKeys
{
    /// <summary>Applied in place: key as written in the file, and the property it is read into.</summary>
    public static readonly IReadOnlyList<ConfigKey> InPlace =
    [
        new("sdid", "SdId", c => c.SdId),
        new("parser_table", "ParserTable", c => c.ParserTable),
        new("accepted_fingerprints", "AcceptedFingerprints", c => c.AcceptedFingerprints),
        new("map_lines_without_fingerprint", "MapLinesWithoutFingerprint", c => c.MapLinesWithoutFingerprint),
        new("transform_rules", "TransformRules", c => c.TransformRules),
    ];

    /// <summary>Need a restart (<c>systemctl restart</c>, or the zero-gap <c>systemctl reload</c>).</summary>
    public static readonly IReadOnlyList<ConfigKey> RestartOnly =
    [
        new("workers", "Workers", c => c.Workers),
        new("message_buffer", "MessageBuffer", c => c.MessageBuffer),
        new("hostname", "Hostname", c => c.Hostname),
        new("socket.path", "Socket.Path", c => c.Socket.Path),
        new("socket.mode", "Socket.Mode", c => c.Socket.Mode),
        new("socket.user", "Socket.User", c => c.Socket.User),
        new("socket.group", "Socket.Group", c => c.Socket.Group),
        new("socket.batch_size", "Socket.BatchSize", c => c.Socket.BatchSize),
        new("socket.batch_deadline", "Socket.BatchDeadline", c => c.Socket.BatchDeadline),
        new("socket.receive_buffer_bytes", "Socket.ReceiveBufferBytes", c => c.Socket.ReceiveBufferBytes),
        new("socket.queue_bytes", "Socket.QueueBytes", c => c.Socket.QueueBytes),
        new("socket.allowed_uids", "Socket.AllowedSenders", c => c.Socket.AllowedSenders),
        new("logparser", "LogParser", c => c.LogParser),
        new("kafka.topic", "Kafka.Topic", c => c.Kafka.Topic),
        new("kafka.dlq_topic", "Kafka.DlqTopic", c => c.Kafka.DlqTopic),
        new("kafka.flush_timeout", "Kafka.FlushTimeout", c => c.Kafka.FlushTimeout),
        new("kafka.batch_size", "Kafka.BatchSize", c => c.Kafka.BatchSize),
        new("kafka.batch_deadline", "Kafka.BatchDeadline", c => c.Kafka.BatchDeadline),

        // By name and value in file order: where an entry was written does not matter.
        new("kafka.rdkafka", "Kafka.Rdkafka", c => c.Kafka.Rdkafka.Select(p => (p.Name, p.Value))),
        new("monitoring.enable_pprof", "Monitoring.EnablePprof", c => c.Monitoring.EnablePprof),
        new("monitoring.enable_prometheus", "Monitoring.EnablePrometheus", c => c.Monitoring.EnablePrometheus),
        new("monitoring.server_bind", "Monitoring.ServerBind", c => c.Monitoring.ServerBind),
        new("monitoring.prometheus_prefix", "Monitoring.PrometheusPrefix", c => c.Monitoring.PrometheusPrefix),
        new("monitoring.prometheus_parsing_buckets", "Monitoring.ParsingBuckets", c => c.Monitoring.ParsingBuckets),
        new("monitoring.prometheus_processing_buckets", "Monitoring.ProcessingBuckets", c => c.Monitoring.ProcessingBuckets),
        new("monitoring.prometheus_delivery_buckets", "Monitoring.DeliveryBuckets", c => c.Monitoring.DeliveryBuckets),
        new("monitoring.stall_timeout", "Monitoring.StallTimeout", c => c.Monitoring.StallTimeout),
        new("monitoring.tap_socket", "Monitoring.TapSocketPath", c => c.Monitoring.TapSocketPath),
        new("dead_letter_path", "DeadLetterPath", c => c.DeadLetterPath),
        new("spool", "Spool", c => c.Spool),
        new("dead_letter_queue", "DeadLetterQueue", c => c.DeadLetterQueue),
        new("haproxy", "Haproxy", c => c.Haproxy),
    ];

    /// <summary>Not keys: where the file is and where each key was written (the reload takes the new file's).</summary>
    public static readonly IReadOnlyList<string> Bookkeeping = ["File", "Locations"];

    /// <summary>The config to run: <paramref name="running"/> with the in-place keys of <paramref name="next"/>.</summary>
    public static ForwarderConfig Apply(ForwarderConfig running, ForwarderConfig next) => running with
    {
        SdId = next.SdId,
        ParserTable = next.ParserTable,
        AcceptedFingerprints = next.AcceptedFingerprints,
        MapLinesWithoutFingerprint = next.MapLinesWithoutFingerprint,
        TransformRules = next.TransformRules,
        Locations = next.Locations,
    };

    /// <summary>The restart-only keys whose value in <paramref name="next"/> differs from the running one.</summary>
    public static IReadOnlyList<string> NeedingRestart(ForwarderConfig running, ForwarderConfig next) =>
        [.. RestartOnly.Where(k => !k.Same(running, next)).Select(k => k.Name)];
}

/// <summary>One config key: its dotted name as written, the property path it is read into, and how to read it.</summary>
internal sealed record ConfigKey(string Name, string Property, Func<ForwarderConfig, object?> Read)
{
    /// <summary>Equal values; sequences (buckets, <c>kafka.rdkafka</c>) element by element.</summary>
    public bool Same(ForwarderConfig a, ForwarderConfig b) => (Read(a), Read(b)) switch
    {
        (IEnumerable x, IEnumerable y) when x is not string => x.Cast<object?>().SequenceEqual(y.Cast<object?>()),
        var (x, y) => Equals(x, y),
    };
}
