namespace HaproxyKafka.Forwarder.Tests.Health;

/// <summary>
/// The rule behind <c>/healthz</c> and the systemd watchdog. (Namespace Health, not Monitoring: a namespace
/// HaproxyKafka.Forwarder.Tests.Monitoring would hide HaproxyKafka.Forwarder.Monitoring from the tests above it.)
/// </summary>
public class HealthStateTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Turning = TimeSpan.FromSeconds(1);

    [Fact]
    public void Idle_with_nothing_pending_is_healthy_however_long_since_the_last_progress()
    {
        var health = HealthState.Evaluate(inFlight: 0, sinceProgress: TimeSpan.FromHours(5), sinceReceiverHeartbeat: Turning, Stall);

        health.Should().Be(new HealthState(true, "idle, nothing pending"));
    }

    [Fact]
    public void Lines_in_flight_with_recent_progress_are_healthy()
    {
        var health = HealthState.Evaluate(inFlight: 7, sinceProgress: TimeSpan.FromSeconds(2), sinceReceiverHeartbeat: Turning, Stall);

        health.Should().Be(new HealthState(true, "7 lines in flight, progressing"));
    }

    [Fact]
    public void Lines_in_flight_at_exactly_the_stall_timeout_are_still_healthy()
    {
        HealthState.Evaluate(inFlight: 7, sinceProgress: Stall, sinceReceiverHeartbeat: Turning, Stall).Healthy.Should().BeTrue();
    }

    [Fact]
    public void Lines_in_flight_and_no_progress_beyond_the_stall_timeout_is_unhealthy_and_says_why()
    {
        var health = HealthState.Evaluate(inFlight: 7, sinceProgress: Stall + TimeSpan.FromTicks(1), sinceReceiverHeartbeat: Turning, Stall);

        health.Healthy.Should().BeFalse();
        health.Reason.Should().Be("7 lines pending and none delivered or dead-lettered for 30s (stall_timeout 30s)");
    }

    [Theory]
    [InlineData(30, 15)]
    [InlineData(4, 5)]
    public void A_receive_thread_that_stops_coming_round_is_unhealthy_even_when_idle(int stallSeconds, int heartbeatLimitSeconds)
    {
        var stall = TimeSpan.FromSeconds(stallSeconds);
        var limit = TimeSpan.FromSeconds(heartbeatLimitSeconds);

        HealthState.Evaluate(0, TimeSpan.Zero, limit, stall).Healthy.Should().BeTrue("half the stall timeout, at least 5s, is allowed");
        var stuck = HealthState.Evaluate(0, TimeSpan.Zero, limit + TimeSpan.FromTicks(1), stall);

        stuck.Healthy.Should().BeFalse();
        stuck.Reason.Should().StartWith("the receive thread has not come round for");
    }
}
