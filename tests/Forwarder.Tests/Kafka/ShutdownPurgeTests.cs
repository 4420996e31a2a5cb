using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Kafka;

/// <summary>
/// The SIGTERM path with Kafka unreachable, in the real daemon: after <c>kafka.flush_timeout</c> (2 s in the harness
/// config; librdkafka's own <c>message.timeout.ms</c> is 300 s) only the purge turns what librdkafka holds into
/// delivery reports, so every line in the dead-letter file with a purge error proves the purge ran.
/// </summary>
public partial class ShutdownPurgeTests
{
    [Fact]
    public async Task Sigterm_with_kafka_down_dead_letters_every_line_with_the_purge_error_and_the_ledger_closes()
    {
        const int lines = 40;
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        run.Cluster.SetBrokerDown(1, down: true);
        using (var sender = new DatagramSender(run.SocketPath))
        {
            for (var i = 0; i < lines; i++)
            {
                sender.Send(Lines.Request(run.Fingerprint, i));
            }
        }

        await run.WaitForQuietAsync(lines, TimeSpan.FromSeconds(2)); // nothing settles while Kafka is down
        (await run.CountersAsync()).Should().Be(new Ledger(lines, 0, 0, 0, lines), "every line is in librdkafka's queue");

        var exit = await run.Forwarder.TerminateAsync(TimeSpan.FromSeconds(60));

        exit.Should().Be(0, run.Forwarder.Log);
        var letters = File.ReadAllLines(run.DeadLetterPath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        letters.Should().HaveCount(lines, run.Forwarder.Log);
        letters.Select(l => l.GetProperty("reason").GetString()).Should().AllBe("shutdown_undelivered");
        letters.Select(l => l.GetProperty("detail").GetString()).Should().OnlyContain(d => d!.StartsWith("Local: Purged", StringComparison.Ordinal), "librdkafka's purge errors read 'Local: Purged in queue' / 'in flight'");
        letters.Select(l => l.GetProperty("topic").GetString()).Should().AllBe(run.Topic);
        letters.Select(l => JsonDocument.Parse(l.GetProperty("message").GetString()!).RootElement.GetProperty("sequence").GetInt64())
            .Should().BeEquivalentTo(Enumerable.Range(0, lines), "each mapped message is kept, once");
        var final = FinalLedger(run.Forwarder.Log);
        final.Should().Be(new Ledger(lines, 0, lines, 0, 0));
        final.AddsUp.Should().BeTrue();
    }

    /// <summary>The counters the daemon logs as it exits (its metrics endpoint is gone by then).</summary>
    private static Ledger FinalLedger(string log)
    {
        var match = StoppedLine().Match(log);
        match.Success.Should().BeTrue(log);
        long At(int i) => long.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture);
        return new Ledger(At(1), At(2), At(3), At(4), At(5));
    }

    [GeneratedRegex(@"stopped: received (\d+), delivered (\d+), dead-lettered (\d+), dropped (\d+), in flight (\d+)")]
    private static partial Regex StoppedLine();
}
