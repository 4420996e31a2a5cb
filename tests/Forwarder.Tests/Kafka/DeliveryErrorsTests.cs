using Confluent.Kafka;
using HaproxyKafka.Forwarder.Kafka;

namespace HaproxyKafka.Forwarder.Tests.Kafka;

/// <summary>What goes to the disk spool (worth another try) and what stays a dead letter (replaying would loop).</summary>
public class DeliveryErrorsTests
{
    [Theory]
    [InlineData(ErrorCode.Local_MsgTimedOut)]
    [InlineData(ErrorCode.Local_Transport)]
    [InlineData(ErrorCode.Local_AllBrokersDown)]
    [InlineData(ErrorCode.Local_PurgeQueue)]
    [InlineData(ErrorCode.Local_PurgeInflight)]
    [InlineData(ErrorCode.LeaderNotAvailable)]
    [InlineData(ErrorCode.NotLeaderForPartition)]
    [InlineData(ErrorCode.RequestTimedOut)]
    [InlineData(ErrorCode.BrokerNotAvailable)]
    [InlineData(ErrorCode.NotEnoughReplicas)]
    public void Outages_timeouts_leaderless_partitions_and_the_shutdown_purge_are_transient(ErrorCode code) =>
        DeliveryErrors.IsTransient(new Error(code)).Should().BeTrue();

    [Theory]
    [InlineData(ErrorCode.MsgSizeTooLarge)]
    [InlineData(ErrorCode.TopicAuthorizationFailed)]
    [InlineData(ErrorCode.ClusterAuthorizationFailed)]
    [InlineData(ErrorCode.InvalidRecord)]
    [InlineData(ErrorCode.InvalidMsg)]
    [InlineData(ErrorCode.UnknownTopicOrPart)]
    [InlineData(ErrorCode.Local_UnknownTopic)]
    public void Refusals_that_would_refuse_again_are_permanent(ErrorCode code) =>
        DeliveryErrors.IsTransient(new Error(code)).Should().BeFalse();

    [Fact]
    public void A_fatal_error_is_permanent_whatever_its_code() =>
        DeliveryErrors.IsTransient(new Error(ErrorCode.Local_MsgTimedOut, "fatal", isFatal: true)).Should().BeFalse();
}
