using System.Globalization;
using System.Text.RegularExpressions;
using HaproxyKafka.Forwarder.HaproxyStats;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.HaproxyStats;

/// <summary>
/// The daemon reading real HAProxy's stats socket (<c>stats socket PATH level user</c>) while HAProxy serves real
/// requests: what HAProxy counts (requests, lines it could not log) appears in the daemon's /metrics beside what the
/// daemon received.
/// </summary>
public partial class HaproxyStatsTests
{
    private const int Requests = 40;

    [Fact]
    public async Task A_missing_socket_is_counted_and_logged_once_then_HAProxy_requests_match_the_lines_received()
    {
        using var stats = new TempDirectory();
        var statsSocket = stats.File("admin.sock");
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, extraConfig: StatsConfig(statsSocket));

        // No HAProxy yet: the daemon runs on, counts each failed read, and says so once.
        await WaitForAsync(run, m => Value(m, "haproxykafka_haproxy_stats_failures_total") >= 3, "three failed reads");
        var metrics = await run.Forwarder.GetAsync("metrics");
        Value(metrics, "haproxykafka_haproxy_stats_up").Should().Be(0);
        Regex.Count(run.Forwarder.Log, "cannot read HAProxy's stats socket").Should().Be(1, run.Forwarder.Log);
        run.Forwarder.HasExited.Should().BeFalse();

        await using var haproxy = await StatsHaproxy.StartAsync(run, statsSocket, logTo: run.SocketPath);
        await WaitForAsync(run, m => Value(m, "haproxykafka_haproxy_stats_up") == 1, "a successful read");
        run.Forwarder.Log.Should().Contain($"reading HAProxy's stats socket {statsSocket}");

        // From here on both sides count the same requests: HAProxy's req_tot of the logging frontend and the lines
        // the daemon received from it.
        await run.WaitForQuietAsync(0, TimeSpan.FromSeconds(10));
        var before = await run.Forwarder.GetAsync("metrics");
        await haproxy.SendRequestsAsync();
        await WaitForAsync(run, m => Value(m, FrontendRequests("fe")) - Value(before, FrontendRequests("fe")) >= Requests, $"{Requests} more requests on fe");
        await run.WaitForQuietAsync((long)Value(before, "haproxykafka_received_lines_total") + Requests, TimeSpan.FromSeconds(30));
        var after = await run.Forwarder.GetAsync("metrics");

        (Value(after, FrontendRequests("fe")) - Value(before, FrontendRequests("fe"))).Should().Be(Requests);
        (Value(after, "haproxykafka_lines_total{kind=\"request\"}") - Value(before, "haproxykafka_lines_total{kind=\"request\"}")).Should().Be(Requests);
        Value(after, "haproxykafka_haproxy_dropped_logs_total").Should().Be(0);
        Regex.Count(run.Forwarder.Log, "cannot read HAProxy's stats socket").Should().Be(1, "recovering is logged as a reading, not as a failure");

        var file = Path.Combine(run.Scratch, "metrics.txt");
        await File.WriteAllTextAsync(file, after);
        var promtool = await ExternalTool.RunAsync("sh", ["-c", $"promtool check metrics < {file}"]);
        promtool.ExitCode.Should().Be(0, promtool.Output);
    }

    [Fact]
    public async Task Lines_HAProxy_could_not_hand_to_a_stuck_socket_appear_as_its_DroppedLogs()
    {
        using var stats = new TempDirectory();
        var statsSocket = stats.File("admin.sock");

        // A receiver that never reads: the kernel queues net.unix.max_dgram_qlen datagrams, then HAProxy's
        // non-blocking send fails with EAGAIN and HAProxy counts the line in DroppedLogs.
        using var stuck = new UnixDatagramReceiver(stats.File("stuck.sock"));
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, extraConfig: StatsConfig(statsSocket));
        await using var haproxy = await StatsHaproxy.StartAsync(run, statsSocket, logTo: stuck.Path);
        await WaitForAsync(run, m => Value(m, "haproxykafka_haproxy_stats_up") == 1, "a successful read");
        (await haproxy.ReadAsync()).DroppedLogs.Should().Be(0, "nothing is dropped before the requests (the daemon's first read is its baseline)");

        await haproxy.SendRequestsAsync();
        var dropped = (await haproxy.ReadAsync()).DroppedLogs;
        dropped.Should().BeGreaterThan(0, "a receiver that never reads must make HAProxy drop lines");

        await WaitForAsync(run, m => Value(m, "haproxykafka_haproxy_dropped_logs_total") >= dropped, $"{dropped} dropped logs exported");
        var metrics = await run.Forwarder.GetAsync("metrics");
        Value(metrics, "haproxykafka_haproxy_dropped_logs_total").Should().Be(dropped, "the exported count follows HAProxy's");
        Value(metrics, "haproxykafka_received_lines_total").Should().Be(0, "HAProxy logged to another socket");
    }

    private static string StatsConfig(string statsSocket) => $"""
        haproxy:
          stats_socket: {statsSocket}
          stats_interval: 1s
        """;

    private static string FrontendRequests(string proxy) => $"haproxykafka_haproxy_frontend_requests_total{{proxy=\"{proxy}\"}}";

    private static async Task WaitForAsync(EndToEnd run, Func<string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (condition(await run.Forwarder.GetAsync("metrics")))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"waited 60 s for {what}:\n{await run.Forwarder.GetAsync("metrics")}\n{run.Forwarder.Log}");
    }

    /// <summary>The value of one exported series, written exactly as /metrics writes it (name and labels); NaN if absent.</summary>
    private static double Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }

    /// <summary>HAProxy on the generated fragments, its logger pointed at a given socket, with a stats socket.</summary>
    private sealed class StatsHaproxy(HaproxyProcess process, int port, string statsSocket) : IAsyncDisposable
    {
        public static async Task<StatsHaproxy> StartAsync(EndToEnd run, string statsSocket, string logTo)
        {
            var fragments = GeneratedFragments.FromDirectory(run.GeneratedDirectory);
            fragments = fragments with { Global = $"stats socket {statsSocket} level user\n" + fragments.Global.Replace(run.SocketPath, logTo, StringComparison.Ordinal) };
            var port = FreePort.Next();
            var config = Path.Combine(run.Scratch, "haproxy-stats.cfg");
            await File.WriteAllTextAsync(config, LoopbackHaproxyConfig.Build(fragments, port, FreePort.Next(), EndToEnd.DefaultOriginHeaders, EndToEnd.DefaultContentType));
            return new StatsHaproxy(await HaproxyProcess.StartAsync(config, port), port, statsSocket);
        }

        public async Task SendRequestsAsync()
        {
            for (var i = 0; i < Requests; i++)
            {
                await RawHttp.SendAsync(port, RawHttp.Request($"GET /stats/{i} HTTP/1.1", [new("Host", "stats.example"u8.ToArray())]));
            }
        }

        /// <summary>HAProxy's own counters, read by the test through the same socket.</summary>
        public async Task<StatsReading> ReadAsync() =>
            StatsReading.Parse(await StatsSocketClient.QueryAsync(statsSocket, TimeSpan.FromSeconds(5), CancellationToken.None));

        public ValueTask DisposeAsync() => process.DisposeAsync();
    }
}
