using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Receiving;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>A flood of refused datagrams is counted one by one but warned about once per interval, on a stepped clock.</summary>
public class RefusedSendersTests
{
    [Fact]
    public void The_first_refusal_warns_at_once_and_later_ones_within_the_interval_only_count()
    {
        var metrics = TestMetrics.Create();
        var log = new FakeLogger();
        var time = new FakeTimeProvider();
        var refused = new RefusedSenders(metrics, log, time);

        refused.Refuse(new SenderCredentials(pid: 100, uid: 1000, gid: 1000));
        for (var i = 0; i < 500; i++)
        {
            refused.Refuse(new SenderCredentials(pid: 101, uid: 1001, gid: 1001));
        }

        TestMetrics.Value(metrics.Dropped, Reasons.SenderNotAllowed).Should().Be(501);
        log.Collector.GetSnapshot().Select(r => r.Message).Should().Equal(
            "refused 1 datagram(s) from senders not in socket.allowed_uids since the last such warning, the latest from uid 1000 (pid 100); counted as dropped{reason=\"sender_not_allowed\"}, not dead-lettered");

        time.Advance(RefusedSenders.WarningInterval);
        refused.Refuse(null);

        log.Collector.GetSnapshot().Select(r => r.Message).Should().HaveCount(2).And.HaveElementAt(1,
            "refused 501 datagram(s) from senders not in socket.allowed_uids since the last such warning, the latest with no sender credentials; counted as dropped{reason=\"sender_not_allowed\"}, not dead-lettered");
        TestMetrics.Value(metrics.Dropped, Reasons.SenderNotAllowed).Should().Be(502);
    }
}
