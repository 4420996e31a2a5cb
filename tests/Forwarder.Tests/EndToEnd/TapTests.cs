using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.E2E;

/// <summary>
/// <c>haproxykafka tap</c> as a user runs it, against a running daemon fed by real HAProxy: filtered, limited, and
/// never at the cost of a line.
/// </summary>
public class TapTests
{
    private static readonly string[] TapOutcomes = ["sent", "filtered", "rate_limited", "backlog_full"];

    [Fact]
    public async Task Tap_prints_the_messages_a_field_filter_selects()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema);
        await using var tap = await StartTapAsync(run, "--kind", "message", "--where", "uri_host=tap.example", "--count", "2");

        foreach (var host in new[] { "other.example", "tap.example", "other.example", "tap.example" })
        {
            await RawHttp.SendAsync(run.FrontPort, RawHttp.Request("GET /tapped HTTP/1.1", [KeyValuePair.Create("Host", System.Text.Encoding.ASCII.GetBytes(host))]));
        }

        await tap.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        tap.ExitCode.Should().Be(0, tap.Log);
        var shown = tap.Log.Split('\n').Where(l => l.StartsWith("message ", StringComparison.Ordinal)).ToList();
        shown.Should().HaveCount(2, tap.Log);
        foreach (var line in shown)
        {
            var message = JsonNode.Parse(line["message ".Length..])!.AsObject();
            message["uri_host"]!.GetValue<string>().Should().Be("tap.example");
            message["uri_path"]!.GetValue<string>().Should().Be("/tapped");
        }
    }

    [Fact]
    public async Task Tap_shows_why_a_line_was_dead_lettered_and_the_datagram()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        await using var tap = await StartTapAsync(run, "--kind", "dead_letter", "--reason", "fingerprint_mismatch", "--count", "1");
        using var sender = new DatagramSender(run.SocketPath);

        sender.Send("not syslog at all");
        sender.Send(Lines.Request("0000000000000000", 77));

        await tap.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        tap.ExitCode.Should().Be(0, tap.Log);
        tap.Log.Should().Contain($"dead_letter fingerprint_mismatch: 'schema_fp' is not {run.Fingerprint}: HAProxy runs a config generated from another schema")
            .And.Contain("  raw: <134>1 ").And.Contain("schema_fp=\"0000000000000000\"")
            .And.NotContain("not syslog at all", "the malformed line has another reason");
    }

    [Fact]
    public async Task A_rate_limited_tap_skips_lines_counts_them_and_the_daemon_loses_none()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        await using var tap = await StartTapAsync(run, "--json", "--rate", "1");
        using var sender = new DatagramSender(run.SocketPath);

        const int Lines = 500;
        for (var i = 0; i < Lines; i++)
        {
            sender.Send(E2E.Lines.Request(run.Fingerprint, i));
        }

        var delivered = await run.WaitForQuietAsync(Lines, TimeSpan.FromSeconds(60));
        delivered.Should().Be(Lines, "tapping never costs the pipeline a line");
        (await run.CountersAsync()).Should().Be(new Ledger(Lines, Lines, 0, 0, 0));

        // The tap client reads its backlog on its own time: wait until every offered line has its outcome.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string metrics;
        long Outcome(string text, string outcome) => long.Parse(Regex.Match(text, $"^haproxykafka_tap_lines_total{{outcome=\"{outcome}\"}} (\\d+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        long Offered(string text) => TapOutcomes.Sum(o => Outcome(text, o));
        while (Offered(metrics = await run.Forwarder.GetAsync("metrics")) < Lines && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Offered(metrics).Should().Be(Lines, "every offered line has exactly one outcome");
        Outcome(metrics, "rate_limited").Should().BePositive(metrics);
        Outcome(metrics, "sent").Should().BeInRange(1, 60, "one a second at most, over a run of seconds");
        tap.Log.Split('\n').Count(l => l.StartsWith("{\"kind\":\"message\"", StringComparison.Ordinal)).Should().BePositive(tap.Log);
    }

    [Fact]
    public async Task Tap_without_a_daemon_says_where_it_looked()
    {
        using var scratch = new TempDirectory();
        await using var tap = LoggedProcess.Start(ForwarderProcess.Executable, ["tap", "--socket", Path.Combine(scratch.Path, "tap.sock")]);

        await tap.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        tap.ExitCode.Should().Be(69);
        tap.Log.Should().Contain($"cannot connect to {Path.Combine(scratch.Path, "tap.sock")}").And.Contain("is the daemon running");
    }

    /// <summary>Starts the client and waits until the daemon has registered it, so no line is sent before.</summary>
    private static async Task<LoggedProcess> StartTapAsync(EndToEnd run, params string[] arguments)
    {
        var tap = LoggedProcess.Start(ForwarderProcess.Executable, ["tap", "-c", run.ConfigPath, .. arguments]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!run.Forwarder.Log.Contains("tap: a client started tapping", StringComparison.Ordinal))
        {
            if (tap.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"tap did not connect:\n{tap.Log}\ndaemon:\n{run.Forwarder.Log}");
            }

            await Task.Delay(50);
        }

        return tap;
    }
}
