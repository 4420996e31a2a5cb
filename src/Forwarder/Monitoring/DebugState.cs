using System.Text.Json;
using System.Text.Json.Nodes;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Lifecycle;
using HaproxyKafka.Forwarder.Pipeline;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Forwarder.Monitoring;

/// <summary>What an operator needs at 3 a.m. in one request: where lines are, when Kafka last took one, what config runs.</summary>
internal static class DebugState
{
    public static string Render(ForwardingPipeline pipeline)
    {
        var active = pipeline.Mapping.Current;
        var config = active.Config;
        var health = pipeline.Health;
        var state = new JsonObject
        {
            ["healthy"] = health.Healthy,
            ["receiving"] = pipeline.Receiving,
            ["health"] = health.Reason,
            ["last_delivery"] = pipeline.LastDelivery?.ToString("O"),
            ["counters"] = new JsonObject
            {
                ["received"] = pipeline.Metrics.Received.Value,
                ["delivered"] = pipeline.Metrics.Delivered.Value,
                ["dead_lettered"] = pipeline.Metrics.DeadLettered.Total,
                ["dropped"] = pipeline.Metrics.Dropped.Total,
                ["in_flight"] = pipeline.InFlight,
                ["spooled"] = pipeline.Spooled,
            },
            ["spool"] = Spool(pipeline),
            ["queues"] = new JsonObject
            {
                ["internal_depth"] = pipeline.QueueDepth,
                ["internal_capacity"] = pipeline.QueueCapacity,
                ["kafka_outstanding"] = pipeline.Sink.Outstanding,
                ["kafka_high_water"] = pipeline.Sink.HighWater,
                ["kafka_low_water"] = pipeline.Sink.LowWater,
                ["kafka_paused"] = pipeline.Sink.Paused,
                ["dlq_outstanding"] = pipeline.DeadLetters.Outstanding,
            },
            ["socket"] = new JsonObject
            {
                ["path"] = config.Socket.Path,
                ["receive_buffer_bytes"] = pipeline.SocketReceiveBuffer,
                ["net_unix_max_dgram_qlen"] = pipeline.MaxDatagramQueueLength,
            },
            ["parser_table"] = new JsonObject
            {
                ["file"] = active.Table.File,
                ["schema"] = active.Table.Schema,
                ["fingerprint"] = active.Table.Fingerprint,
                ["sd_id"] = active.Table.SdId,
            },
            ["last_reload"] = LastReload(pipeline.Mapping.LastReload),
            ["config"] = EffectiveConfig(config),
        };
        return state.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The last SIGHUP reload: result, when, the fingerprint running after it, why it failed, what needs a restart.</summary>
    private static JsonObject? LastReload(ReloadOutcome? outcome) => outcome is null ? null : new JsonObject
    {
        ["result"] = outcome.Result,
        ["at"] = outcome.At.ToString("O"),
        ["fingerprint"] = outcome.Fingerprint,
        ["errors"] = new JsonArray([.. outcome.Errors.Select(e => (JsonNode?)e)]),
        ["restart_required"] = new JsonArray([.. outcome.RestartRequired.Select(k => (JsonNode?)k)]),
    };

    /// <summary>The disk spool's state; <c>null</c> without <c>spool.path</c>.</summary>
    private static JsonObject? Spool(ForwardingPipeline pipeline) => pipeline.Spool is not { } spool ? null : new JsonObject
    {
        ["path"] = spool.Options.Directory,
        ["bytes"] = spool.Bytes,
        ["max_bytes"] = spool.Options.MaxBytes,
        ["records"] = spool.Records,
        ["oldest_age_seconds"] = spool.OldestAge.TotalSeconds,
        ["appended"] = spool.Appended,
        ["replayed"] = spool.Replayed,
        ["corrupt_skipped"] = spool.CorruptSkipped,
        ["torn_tails"] = spool.TornTails,
        ["writer_queued"] = pipeline.SpoolWriter?.Pending ?? 0,
        ["spilling"] = pipeline.Sink.Spilling,
    };

    private static JsonObject EffectiveConfig(ForwarderConfig config)
    {
        var rdkafka = new JsonObject();
        foreach (var property in config.Kafka.Rdkafka)
        {
            rdkafka[property.Name] = RdkafkaSecrets.Shown(property);
        }

        return new JsonObject
        {
            ["file"] = config.File,
            ["workers"] = config.Workers,
            ["sdid"] = config.SdId,
            ["hostname"] = config.Hostname,
            ["socket"] = new JsonObject { ["path"] = config.Socket.Path, ["mode"] = Convert.ToString((int)config.Socket.Mode, 8), ["user"] = config.Socket.User, ["group"] = config.Socket.Group, ["queue_bytes"] = config.Socket.QueueBytes },
            ["kafka"] = new JsonObject { ["topic"] = config.Kafka.Topic, ["dlq_topic"] = config.Kafka.DlqTopic, ["flush_timeout_ms"] = config.Kafka.FlushTimeout.TotalMilliseconds, ["rdkafka"] = rdkafka },
            ["monitoring"] = new JsonObject { ["server_bind"] = config.Monitoring.ServerBind, ["prometheus_prefix"] = config.Monitoring.PrometheusPrefix, ["stall_timeout_s"] = config.Monitoring.StallTimeout.TotalSeconds },
            ["parser_table"] = config.ParserTable,
            ["dead_letter_path"] = config.DeadLetterPath,
            ["spool"] = config.Spool.Enabled ? new JsonObject { ["path"] = config.Spool.Path, ["max_bytes"] = config.Spool.MaxBytes, ["fsync_interval_ms"] = config.Spool.FsyncInterval.TotalMilliseconds } : null,
            ["accepted_fingerprints"] = new JsonArray([.. config.AcceptedFingerprints.Select(f => (JsonNode?)f)]),
        };
    }
}
