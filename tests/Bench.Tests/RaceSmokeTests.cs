using HaproxyKafka.Race;
using HaproxyKafka.Race.Receivers;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Bench.Tests;

/// <summary>
/// The race harness in its quick mode, for real: a corpus from real HAProxy, the HAProxy-like sender, the mock broker,
/// rsyslog + omkafka and the daemon as processes. Asserts what each receiver did with the lines, never how fast.
/// The sysctl is left as it is.
/// </summary>
public sealed class RaceSmokeTests
{
    [Fact]
    public async Task Quick_race_daemon_delivers_every_line_field_exact_and_rsyslog_writes_the_same_json_properties()
    {
        using var dir = new TempDirectory();
        using var log = new StringWriter();
        var options = RaceOptions.Quick(dir.Path) with { Receivers = [ReceiverKind.Rsyslog, ReceiverKind.Daemon] };

        var results = await RaceRunner.RunAsync(options, log);

        var because = "the race said:\n" + log;
        results.CorpusLines.Should().BeGreaterThan(100, "HAProxy logged the corpus requests (a few may be lost at a 10-datagram socket on a busy machine); " + because);
        var daemon = results.Runs.Single(r => r.Receiver == "daemon");
        daemon.Accepted.Should().BeGreaterThan(0, because);
        daemon.Received.Should().Be(daemon.Accepted, "every datagram the kernel took reaches the daemon; " + because);
        daemon.Delivered.Should().Be(daemon.Received, because);
        daemon.DeadLettered.Should().Be(0, because);
        daemon.Dropped.Should().Be(0, because);
        daemon.LostInside.Should().Be(0, because);
        daemon.CpuSeconds.Should().BeGreaterThan(0, because);
        daemon.PeakRssMib.Should().BeGreaterThan(0, because);
        daemon.DeliveryP99!.Observations.Should().Be(daemon.Delivered!.Value, "the p99 comes from the daemon's histogram of every delivery; " + because);
        var daemonSample = daemon.ReadBack!;
        daemonSample.Sampled.Should().Be((int)daemon.Delivered!.Value, "the quick run's messages all fit in the sample; " + because);
        daemonSample.Exact.Should().Be(daemonSample.Sampled, "the daemon's JSON is byte for byte what its mapping makes of each corpus line; " + because);

        var rsyslog = results.Runs.Single(r => r.Receiver == "rsyslog");
        var rsyslogSample = rsyslog.ReadBack!;
        rsyslog.Delivered.Should().BeGreaterThan(0, because);
        rsyslog.Received.Should().Be(rsyslog.Accepted, "impstats counts what imuxsock took; " + because);
        rsyslogSample.Sampled.Should().Be((int)rsyslog.Delivered!.Value, because);
        rsyslogSample.Unmatched.Should().Be(0, "every message carries the sequence of a corpus line; " + because);
        rsyslogSample.OtherFieldSet.Should().Be(0, "rsyslog's template writes the daemon's property names; " + because);
        rsyslogSample.InvalidJson.Should().Be(rsyslogSample.InvalidJsonFromInvalidUtf8, "rsyslog copies invalid UTF-8 into its JSON, and only that makes it invalid; " + because);
        (rsyslogSample.Sampled - rsyslogSample.InvalidJson).Should().BeGreaterThan(rsyslogSample.Sampled / 2, because);
    }
}
