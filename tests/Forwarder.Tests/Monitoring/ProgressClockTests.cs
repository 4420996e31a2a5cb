using Microsoft.Extensions.Time.Testing;

namespace HaproxyKafka.Forwarder.Tests.Health;

/// <summary>The clock health is judged by, driven through a fake <see cref="TimeProvider"/>.</summary>
public class ProgressClockTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Turning = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 5, 23, 15, 23, 41, TimeSpan.Zero));

    [Fact]
    public void Time_since_the_last_settled_line_grows_with_the_clock_and_a_settled_line_resets_it()
    {
        var clock = new ProgressClock(_time);
        _time.Advance(TimeSpan.FromSeconds(12));
        clock.SinceSettled.Should().Be(TimeSpan.FromSeconds(12));

        clock.Settled();
        clock.SinceSettled.Should().Be(TimeSpan.Zero);
        _time.Advance(TimeSpan.FromMilliseconds(1500));

        clock.SinceSettled.Should().Be(TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public void The_last_delivery_is_unknown_until_a_line_settles_then_it_is_the_wall_clock_time_of_that_line()
    {
        var clock = new ProgressClock(_time);
        clock.LastDelivery.Should().BeNull();
        _time.Advance(TimeSpan.FromSeconds(3));

        clock.Settled();
        var settledAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(1));

        clock.LastDelivery.Should().Be(settledAt);
    }

    [Fact]
    public void Idle_resets_the_stall_clock_but_not_the_last_delivery()
    {
        var clock = new ProgressClock(_time);
        clock.Settled();
        var settledAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(10));

        clock.Idle();

        clock.SinceSettled.Should().Be(TimeSpan.Zero);
        clock.LastDelivery.Should().Be(settledAt);
    }

    [Fact]
    public void Healthy_while_progressing_or_idle_unhealthy_once_lines_wait_beyond_the_stall_timeout_healthy_again_on_progress()
    {
        // As the daemon composes them: each watchdog tick resets the clock while nothing is pending, then evaluates.
        var clock = new ProgressClock(_time);
        long inFlight = 0;
        HealthState Tick()
        {
            if (inFlight == 0)
            {
                clock.Idle();
            }

            return HealthState.Evaluate(inFlight, clock.SinceSettled, Turning, Stall);
        }

        _time.Advance(TimeSpan.FromHours(1));
        Tick().Healthy.Should().BeTrue("an hour of nothing to do is idle, not stalled");

        inFlight = 3;
        _time.Advance(TimeSpan.FromSeconds(20));
        Tick().Healthy.Should().BeTrue("lines arrived 20s ago after a long idle spell: not a stall yet");
        clock.Settled();
        _time.Advance(TimeSpan.FromSeconds(30));
        Tick().Healthy.Should().BeTrue("30s since the last settled line is the limit, not beyond it");

        _time.Advance(TimeSpan.FromSeconds(1));
        var stalled = Tick();
        stalled.Healthy.Should().BeFalse();
        stalled.Reason.Should().Contain("3 lines pending").And.Contain("for 31s");

        clock.Settled();
        Tick().Healthy.Should().BeTrue("a delivery report is progress");
        inFlight = 0;
        _time.Advance(TimeSpan.FromMinutes(5));
        Tick().Healthy.Should().BeTrue();
    }
}
