using HaproxyKafka.Forwarder.Kafka;

namespace HaproxyKafka.Forwarder.Tests.Kafka;

/// <summary>
/// The sink's bound on librdkafka's queue: pause at the high-water mark, resume at the low one. Driven by hand
/// here, as <see cref="KafkaSink"/> drives it: <c>MustPause</c> then <c>Added</c> per message, <c>Reported</c> per
/// delivery report.
/// </summary>
public class WaterMarksTests
{
    [Theory]
    [InlineData(100, 90, 45)]
    [InlineData(720_000, 648_000, 324_000)]
    [InlineData(10, 9, 4)]
    [InlineData(3, 2, 1)]
    [InlineData(1, 1, 0)]
    public void The_marks_are_90_percent_of_the_queue_limit_and_half_of_that(int queueLimit, long high, long low)
    {
        var marks = new WaterMarks(queueLimit);

        marks.High.Should().Be(high);
        marks.Low.Should().Be(low);
    }

    [Fact]
    public void Below_the_high_mark_nobody_pauses()
    {
        var marks = new WaterMarks(100);

        for (var i = 0; i < 89; i++)
        {
            marks.MustPause().Should().BeFalse($"{i} outstanding is below 90");
            marks.Added();
        }

        marks.MustPause().Should().BeFalse("89 outstanding is one below the mark");
        marks.Paused.Should().BeFalse();
        marks.Outstanding.Should().Be(89);
    }

    [Fact]
    public void Exactly_at_the_high_mark_a_producer_pauses()
    {
        var marks = Filled(100, 90);

        marks.MustPause().Should().BeTrue();
        marks.Paused.Should().BeTrue();
    }

    [Fact]
    public void Paused_stays_on_until_reports_bring_the_count_down_to_the_low_mark()
    {
        var marks = Filled(100, 90);
        marks.MustPause().Should().BeTrue();

        Report(marks, 44);

        marks.Outstanding.Should().Be(46);
        marks.Paused.Should().BeTrue("46 is still above the low mark (45): hysteresis, not a resume at 89");

        marks.Reported();

        marks.Outstanding.Should().Be(45);
        marks.Paused.Should().BeFalse("the low mark itself resumes");
    }

    [Fact]
    public async Task A_waiting_producer_is_released_at_the_low_mark_and_not_before()
    {
        var marks = Filled(10, 9);
        marks.MustPause().Should().BeTrue();
        var waiter = Task.Run(() => marks.WaitForRoom(CancellationToken.None));

        Report(marks, 4);

        marks.Outstanding.Should().Be(5);
        marks.Paused.Should().BeTrue("5 outstanding is above the low mark (4)");
        waiter.IsCompleted.Should().BeFalse("nothing has signalled, and 5 is not below the low mark for its own re-check");
        marks.Reported();
        await waiter.WaitAsync(TimeSpan.FromSeconds(10)); // the report that reached the low mark released it
        marks.Paused.Should().BeFalse();
    }

    [Fact]
    public void Repeated_filling_and_draining_pauses_once_per_crossing_of_the_high_mark()
    {
        var marks = new WaterMarks(100);
        var pauses = 0;
        for (var cycle = 0; cycle < 3; cycle++)
        {
            // Climb to the high mark: from 0 the first time, from the low mark afterwards. No pause on the way.
            while (!marks.MustPause())
            {
                marks.Added();
            }

            pauses++;
            marks.Outstanding.Should().Be(90, $"cycle {cycle} pauses exactly at the mark");
            marks.Paused.Should().BeTrue();

            // Reports drain it; it stays paused down to 46 and resumes at 45.
            while (marks.Outstanding > 46)
            {
                marks.Reported();
                marks.Paused.Should().BeTrue();
            }

            marks.Reported();
            marks.Paused.Should().BeFalse($"cycle {cycle} resumes at the low mark");
            marks.Outstanding.Should().Be(45);
        }

        pauses.Should().Be(3);
    }

    [Fact]
    public void Reports_while_not_paused_leave_producers_running()
    {
        var marks = Filled(100, 80);

        Report(marks, 70);

        marks.Paused.Should().BeFalse();
        marks.MustPause().Should().BeFalse();
        marks.Outstanding.Should().Be(10);
    }

    [Fact]
    public async Task Shutdown_releases_a_paused_producer_without_an_exception()
    {
        var marks = Filled(10, 9);
        marks.MustPause().Should().BeTrue();
        using var stopping = new CancellationTokenSource();
        var waiter = Task.Run(() => marks.WaitForRoom(stopping.Token));

        await stopping.CancelAsync();

        // Shutdown produces anyway (flush and purge account for it): the wait ends without an exception.
        await waiter.WaitAsync(TimeSpan.FromSeconds(10));
        marks.Outstanding.Should().Be(9);
    }

    [Fact]
    public async Task A_waiter_also_resumes_when_refused_produces_take_the_count_below_the_low_mark()
    {
        // A produce librdkafka refuses outright gets no report, so nothing signals; the waiter's own re-check must see it.
        var marks = Filled(10, 9);
        marks.MustPause().Should().BeTrue();
        var waiter = Task.Run(() => marks.WaitForRoom(CancellationToken.None));

        for (var i = 0; i < 6; i++)
        {
            marks.Withdrawn();
        }

        marks.Outstanding.Should().Be(3);
        await waiter.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static WaterMarks Filled(int queueLimit, int outstanding)
    {
        var marks = new WaterMarks(queueLimit);
        for (var i = 0; i < outstanding; i++)
        {
            marks.Added();
        }

        return marks;
    }

    private static void Report(WaterMarks marks, int reports)
    {
        for (var i = 0; i < reports; i++)
        {
            marks.Reported();
        }
    }

    [Fact]
    public void The_bounded_wait_gives_up_when_no_report_comes_and_succeeds_once_the_reports_bring_the_marks_down()
    {
        var marks = new WaterMarks(10);
        for (var i = 0; i < 9; i++)
        {
            marks.Added();
        }

        marks.MustPause().Should().BeTrue();
        marks.WaitForRoom(TimeSpan.FromMilliseconds(50), CancellationToken.None).Should().BeFalse("no report came: the caller spools instead");

        for (var i = 0; i < 5; i++)
        {
            marks.Reported();
        }

        marks.WaitForRoom(TimeSpan.FromSeconds(30), CancellationToken.None).Should().BeTrue("4 outstanding is the low-water mark");
    }

    [Fact]
    public void The_bounded_wait_answers_false_on_shutdown()
    {
        var marks = new WaterMarks(10);
        for (var i = 0; i < 9; i++)
        {
            marks.Added();
        }

        marks.MustPause().Should().BeTrue();
        marks.WaitForRoom(TimeSpan.FromSeconds(30), new CancellationToken(canceled: true)).Should().BeFalse();
    }
}
