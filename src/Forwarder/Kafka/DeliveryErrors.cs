using System.Collections.Frozen;
using Confluent.Kafka;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// Which failed delivery reports are worth another try later (the disk spool) and which are refusals that replaying
/// would only repeat (the dead letters). A delivery report carries only an error code (Confluent.Kafka 2.16 exposes
/// no retriable flag for it; librdkafka's <c>rd_kafka_error_is_retriable</c> is for <c>rd_kafka_error_t</c>, which
/// reports do not have), so the codes are listed: the ones librdkafka retries internally or reports when the cluster
/// is unreachable, leaderless or overloaded, plus the purge at shutdown. Everything else (message too large, authorization, invalid record,
/// unknown topic, a fatal producer) is permanent.
/// </summary>
internal static class DeliveryErrors
{
    private static readonly FrozenSet<ErrorCode> TransientCodes = new[]
    {
        ErrorCode.Local_MsgTimedOut,
        ErrorCode.Local_TimedOut,
        ErrorCode.Local_TimedOutQueue,
        ErrorCode.Local_Transport,
        ErrorCode.Local_AllBrokersDown,
        ErrorCode.Local_Resolve,
        ErrorCode.Local_Retry,
        ErrorCode.Local_PurgeQueue,
        ErrorCode.Local_PurgeInflight,
        ErrorCode.Local_Destroy,
        ErrorCode.LeaderNotAvailable,
        ErrorCode.NotLeaderForPartition,
        ErrorCode.RequestTimedOut,
        ErrorCode.BrokerNotAvailable,
        ErrorCode.ReplicaNotAvailable,
        ErrorCode.NetworkException,
        ErrorCode.NotEnoughReplicas,
        ErrorCode.NotEnoughReplicasAfterAppend,
        ErrorCode.NotController,
        ErrorCode.KafkaStorageError,
        ErrorCode.FencedLeaderEpoch,
        ErrorCode.UnknownLeaderEpoch,
        ErrorCode.PreferredLeaderNotAvailable,
        ErrorCode.ThrottlingQuotaExceeded,
    }.ToFrozenSet();

    public static bool IsTransient(Error error) =>
        !error.IsFatal && TransientCodes.Contains(error.Code);
}
