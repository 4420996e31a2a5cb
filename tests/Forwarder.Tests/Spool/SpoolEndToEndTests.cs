using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;
using Xunit.Abstractions;

namespace HaproxyKafka.Forwarder.Tests.Spool;

/// <summary>
/// The disk spool in the daemon, every piece real: the daemon as its own process, librdkafka's mock broker taken down
/// and brought back, kcat reading the topic. Waits are on the daemon's ledger (<c>/debug/state</c>), never on time.
/// </summary>
public sealed partial class SpoolEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    private readonly TempDirectory _scratch = new();

    /// <summary>
    /// Messages time out after 2 s instead of librdkafka's 300 s, and its queue holds 64 KiB (about 80 messages), so
    /// a few hundred lines are beyond the in-flight budget.
    /// </summary>
    private static readonly Dictionary<string, string> SmallKafka = new()
    {
        ["message.timeout.ms"] = "2000",
        ["queue.buffering.max.kbytes"] = "64",
    };

    private string SpoolDirectory => _scratch.File("spool");

    [Fact]
    public async Task Broker_down_while_lines_flow_spools_them_and_every_line_is_delivered_once_it_is_back()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, extraConfig: SpoolConfig("64MiB"), rdkafka: SmallKafka);
        run.Cluster.SetBrokerDown(1, down: true);
        Send(run, 1000);

        var down = await WaitForAsync(run, l => l.Received == 1000 && l.InFlight == 0 && l.Spooled == 1000);
        down.Should().Be(new Ledger(1000, 0, 0, 0, 0, 1000), "Kafka is down: every line is in the spool, none dead-lettered");
        var metrics = await run.Forwarder.GetAsync("metrics");
        var overBudget = Counter(metrics, "haproxykafka_spool_appended_total{reason=\"over_budget\"}");
        var failed = Counter(metrics, "haproxykafka_spool_appended_total{reason=\"delivery_failed\"}");
        overBudget.Should().BePositive("lines beyond the in-flight budget went to the spool instead of waiting");
        failed.Should().BePositive("messages that timed out in librdkafka went to the spool, not the dead letters");
        (overBudget + failed).Should().BeGreaterThanOrEqualTo(1000);
        Counter(metrics, "haproxykafka_spool_records").Should().Be(1000);
        Counter(metrics, "haproxykafka_socket_dropped_messages_total").Should().Be(0);
        File.Exists(run.DeadLetterPath).Should().BeFalse("nothing was dead-lettered");

        run.Cluster.SetBrokerDown(1, down: false);
        var up = await WaitForAsync(run, l => l.InFlight == 0 && l.Delivered >= 1000 && l.Spooled <= 0);
        up.AddsUp.Should().BeTrue(up.ToString());
        (up.DeadLettered, up.Dropped).Should().Be((0L, 0L));
        (await SpoolRecordsAsync(run)).Should().Be(0, "the spool is replayed to the end");

        var topic = await Kcat.ReadAllAsync(run.Cluster.BootstrapServers, run.Topic);
        var sequences = topic.Select(Sequence).ToList();
        output.WriteLine($"{topic.Count} messages on the topic for 1000 lines: {topic.Count - sequences.Distinct().Count()} duplicates (at-least-once replay); ledger {up}");
        sequences.Distinct().Should().BeEquivalentTo(Enumerable.Range(0, 1000), "every line is delivered");
    }

    [Fact]
    public async Task A_restart_with_a_non_empty_spool_replays_it_in_the_next_process()
    {
        // librdkafka's own 300 s message timeout: only the shutdown's purge ends what it holds.
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, extraConfig: SpoolConfig("64MiB"));
        run.Cluster.SetBrokerDown(1, down: true);
        Send(run, 100);
        (await WaitForAsync(run, l => l.Received == 100)).InFlight.Should().Be(100, "nothing settles while Kafka is down");

        (await run.Forwarder.TerminateAsync(TimeSpan.FromSeconds(60))).Should().Be(0, run.Forwarder.Log);
        run.Forwarder.Log.Should().Contain("spooling them to " + SpoolDirectory);
        FinalLedger(run.Forwarder.Log).Should().Be(new Ledger(100, 0, 0, 0, 0, 100), "what the drain could not deliver is in the spool, not the dead letters");
        File.Exists(run.DeadLetterPath).Should().BeFalse();

        run.Cluster.SetBrokerDown(1, down: false);
        await run.RestartForwarderAsync();
        run.Forwarder.Log.Should().Contain("holds 100 messages");
        var replayed = await WaitForAsync(run, l => l.Delivered >= 100 && l.InFlight == 0);
        replayed.Should().Be(new Ledger(0, 100, 0, 0, 0, -100), "the new process delivers what the old one spooled");
        (await SpoolRecordsAsync(run)).Should().Be(0);
        Counter(await run.Forwarder.GetAsync("metrics"), "haproxykafka_spool_replayed_total").Should().Be(100);

        var topic = await Kcat.ReadAllAsync(run.Cluster.BootstrapServers, run.Topic);
        topic.Select(Sequence).Should().BeEquivalentTo(Enumerable.Range(0, 100), "each spooled line once, none lost");
    }

    [Fact]
    public async Task Past_spool_max_bytes_lines_are_dropped_as_spool_full_and_the_rest_is_delivered()
    {
        // 1 MiB holds about 1 400 mapped lines; 2 500 do not fit.
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, extraConfig: SpoolConfig("1MiB"), rdkafka: SmallKafka);
        run.Cluster.SetBrokerDown(1, down: true);
        Send(run, 2500);

        var full = await WaitForAsync(run, l => l.Received == 2500 && l.InFlight == 0);
        full.AddsUp.Should().BeTrue(full.ToString());
        (full.Delivered, full.DeadLettered).Should().Be((0L, 0L));
        full.Dropped.Should().BePositive();
        full.Spooled.Should().BePositive();
        var metrics = await run.Forwarder.GetAsync("metrics");
        Counter(metrics, "haproxykafka_dropped_lines_total{reason=\"spool_full\"}").Should().Be(full.Dropped, "every drop is counted as spool_full");
        Counter(metrics, "haproxykafka_spool_bytes").Should().BeLessThanOrEqualTo(1 << 20);
        run.Forwarder.Log.Should().Contain("is full (spool.max_bytes 1048576)");

        run.Cluster.SetBrokerDown(1, down: false);
        var up = await WaitForAsync(run, l => l.InFlight == 0 && l.Spooled <= 0);
        up.AddsUp.Should().BeTrue(up.ToString());
        var topic = await Kcat.ReadAllAsync(run.Cluster.BootstrapServers, run.Topic);
        topic.Select(Sequence).Distinct().Should().HaveCount((int)(2500 - full.Dropped), "everything the spool took is delivered");
    }

    [Fact]
    public async Task A_permanent_refusal_is_still_dead_lettered_not_spooled()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, extraConfig: SpoolConfig("64MiB"), rdkafka: SmallKafka);

        // TOPIC_AUTHORIZATION_FAILED for every produce request in the test, the DLQ topic's too: the file takes them.
        run.Cluster.RefuseProduceRequests(1000);
        Send(run, 20);

        var ledger = await WaitForAsync(run, l => l.Received == 20 && l.InFlight == 0);
        ledger.Should().Be(new Ledger(20, 0, 20, 0, 0, 0), "replaying an authorization failure would only fail again");
        var metrics = await run.Forwarder.GetAsync("metrics");
        Counter(metrics, "haproxykafka_dead_lettered_lines_total{reason=\"delivery_failed\"}").Should().Be(20);
        Counter(metrics, "haproxykafka_spool_records").Should().Be(0);
    }

    public void Dispose() => _scratch.Dispose();

    private static void Send(EndToEnd run, int lines)
    {
        using var sender = new DatagramSender(run.SocketPath);
        for (var i = 0; i < lines; i++)
        {
            sender.Send(Lines.Request(run.Fingerprint, i));
        }
    }

    private static long Sequence(string message)
    {
        using var json = JsonDocument.Parse(message);
        return json.RootElement.GetProperty("sequence").GetInt64();
    }

    /// <summary>Polls the daemon's ledger until <paramref name="done"/> holds; fails with the last ledger if it never does.</summary>
    private static async Task<Ledger> WaitForAsync(EndToEnd run, Func<Ledger, bool> done)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (true)
        {
            var ledger = await run.CountersAsync();
            if (done(ledger))
            {
                return ledger;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"the ledger never got there; last {ledger}\n{run.Forwarder.Log}");
            await Task.Delay(200);
        }
    }

    private static async Task<long> SpoolRecordsAsync(EndToEnd run)
    {
        using var state = JsonDocument.Parse(await run.Forwarder.GetAsync("debug/state"));
        return state.RootElement.GetProperty("spool").GetProperty("records").GetInt64();
    }

    private static long Counter(string metrics, string series)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        line.Should().NotBeNull($"/metrics has {series}");
        return (long)double.Parse(line![(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static Ledger FinalLedger(string log)
    {
        var match = StoppedLine().Match(log);
        match.Success.Should().BeTrue(log);
        long At(int i) => long.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture);
        return new Ledger(At(1), At(2), At(3), At(4), At(5), At(6));
    }

    [GeneratedRegex(@"stopped: received (\d+), delivered (\d+), dead-lettered (\d+), dropped (\d+), in flight (\d+), spooled (-?\d+)")]
    private static partial Regex StoppedLine();

    private string SpoolConfig(string maxBytes) => $"spool:\n  path: {SpoolDirectory}\n  max_bytes: {maxBytes}\n";
}
