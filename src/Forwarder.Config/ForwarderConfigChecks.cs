using HaproxyKafka.Diagnostics;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>
/// What a forwarder config must agree on with its parser table. The daemon runs these at start-up and the
/// conformance checker in CI, so the two cannot disagree about what "matches" means.
/// </summary>
public static class ForwarderConfigChecks
{
    public static void AgainstTable(ForwarderConfig config, ParserTable table, DiagnosticBag bag)
    {
        if (config.SdId != table.SdId)
        {
            bag.Error(config.At("sdid"), $"'sdid' is '{config.SdId}' but the parser table ({table.File}) reads SD-ID '{table.SdId}'; no line would match",
                $"set 'sdid: {table.SdId}' (HAProxy's log-format-sd writes it)");
        }

        if (table.Added.Any(a => a.From == AddedFrom.Cluster) && table.ClusterOf(config.Kafka.Topic) is null)
        {
            var topics = string.Join(", ", table.Clusters.Select(c => $"{c.Value} ({c.Key})"));
            bag.Error(config.At("kafka.topic"), $"'kafka.topic' is '{config.Kafka.Topic}', which is not a cluster topic of the schema, so webrequest_source cannot be set",
                $"use one of {topics}, or add the cluster to schema.yaml and regenerate");
        }

        if (config.Kafka.DlqTopic.Length > 0 && config.Kafka.DlqTopic != table.DlqTopic)
        {
            bag.Warning(config.At("kafka.dlq_topic"), $"'kafka.dlq_topic' is '{config.Kafka.DlqTopic}' but the schema names '{table.DlqTopic}'",
                $"set 'dlq_topic: {table.DlqTopic}' or change the schema");
        }
    }
}
