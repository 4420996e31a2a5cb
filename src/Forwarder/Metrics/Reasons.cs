using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>Every label value the forwarder counts under, fixed so dashboards and alerts can rely on them.</summary>
internal static class Reasons
{
    // Dropped: a line that is neither delivered nor dead-lettered, on purpose or as a last resort.
    public const string QueueFull = "queue_full";
    public const string NotARequest = "not_a_request";
    public const string DeadLetterWriteFailed = "dead_letter_write_failed";
    public const string DeadLetterBacklog = "dead_letter_backlog";
    public const string SpoolFull = "spool_full";
    public const string SenderNotAllowed = "sender_not_allowed";

    // Dead-lettered after mapping succeeded.
    public const string DeliveryFailed = "delivery_failed";
    public const string ProduceFailed = "produce_failed";
    public const string ShutdownUndelivered = "shutdown_undelivered";
    public const string SpoolWriteFailed = "spool_write_failed";

    // Why a message went to the disk spool (spool_appended_total{reason}); DeliveryFailed is the third.
    public const string OverBudget = "over_budget";
    public const string SpooledAtShutdown = "shutdown";

    // Saturation channels, as production's alert names them.
    public const string SocketChannel = "socket";
    public const string KafkaQueueChannel = "kafka-queue";
    public const string KafkaMessageChannel = "kafka-msg";

    public static readonly string[] Dropped = [QueueFull, NotARequest, DeadLetterWriteFailed, DeadLetterBacklog, SpoolFull, SenderNotAllowed];

    public static readonly string[] DeadLettered =
        [.. RejectionLabels.All.Select(r => r.Label()), DeliveryFailed, ProduceFailed, ShutdownUndelivered, SpoolWriteFailed];

    public static readonly string[] Spooled = [DeliveryFailed, OverBudget, SpooledAtShutdown];

    public static readonly string[] Channels = [SocketChannel, KafkaQueueChannel, KafkaMessageChannel];

    public static readonly string[] Kinds = [.. Enum.GetValues<LineKind>().Select(KindLabel)];

    public static string KindLabel(LineKind kind) => kind switch
    {
        LineKind.Request => "request",
        LineKind.Notice => "notice",
        LineKind.Emptied => "emptied",
        LineKind.Truncated => "truncated",
        LineKind.Malformed => "malformed",
        _ => "foreign_sd",
    };
}
