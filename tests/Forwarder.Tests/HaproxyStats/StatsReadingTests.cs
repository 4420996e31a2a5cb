using HaproxyKafka.Forwarder.HaproxyStats;
using HaproxyKafka.Forwarder.Metrics;

namespace HaproxyKafka.Forwarder.Tests.HaproxyStats;

/// <summary>Parsing HAProxy 2.6's answer to <c>show info;show stat -1 1 -1</c> and following its counters.</summary>
public class StatsReadingTests
{
    // Trimmed from a real answer of Debian 12's HAProxy 2.6.12 (show info, then show stat for frontends).
    private const string Answer = """
        Name: HAProxy
        Version: 2.6.12-1+deb12u4
        Pid: 6165
        CumConns: 8
        CumReq: 8
        DroppedLogs: 42
        CumRecvLogs: 0
        Tainted: 0

        # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt
        fe,FRONTEND,,,0,1,9986,3,258,597,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,1,,,,0,3,0,0,0,0,,0,1,3,,
        origin,FRONTEND,,,0,1,9986,3,258,597,0,0,0,,,,,OPEN,,,,,,,,,1,3,0,,,,0,0,0,1,,,,0,3,0,0,0,0,,0,1,7,,

        """;

    [Fact]
    public void Reads_pid_dropped_logs_and_requests_per_frontend()
    {
        var reading = StatsReading.Parse(Answer);

        reading.Pid.Should().Be(6165);
        reading.DroppedLogs.Should().Be(42);
        reading.FrontendRequests.Should().BeEquivalentTo(new Dictionary<string, long> { ["fe"] = 3, ["origin"] = 7 });
    }

    [Theory]
    [InlineData("Permission denied.\n\n", "no Pid/DroppedLogs in the answer to 'show info' (it began: 'Permission denied.')")]
    [InlineData("Pid: 1\nDroppedLogs: many\n", "'DroppedLogs' is 'many', not a count")]
    public void An_answer_that_is_not_show_info_is_an_error_naming_it(string answer, string message)
    {
        var parse = () => StatsReading.Parse(answer);

        parse.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public void A_mirrored_counter_takes_the_first_reading_as_baseline_adds_increases_and_survives_a_new_process()
    {
        var metrics = TestMetrics.Create();
        var series = metrics.AddCounter("mirror_test_total", "test");
        var mirror = new MirroredCounter(series);

        mirror.Observe(pid: 100, value: 500);
        mirror.Value.Should().Be(0, "what HAProxy counted before the daemon looked is a baseline");
        mirror.Observe(100, 520);
        mirror.Value.Should().Be(20);
        mirror.Observe(100, 520);
        mirror.Value.Should().Be(20);
        mirror.Observe(200, 7);
        mirror.Value.Should().Be(27, "a new HAProxy process (reload) starts from zero");
        mirror.Observe(200, 9);
        mirror.Observe(200, 3);
        mirror.Value.Should().Be(32, "a value that went down is a restart under the same pid");
    }
}
