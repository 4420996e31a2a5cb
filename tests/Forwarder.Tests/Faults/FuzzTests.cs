using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;
using Xunit.Abstractions;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>
/// Damaged datagrams by the hundred thousand: the daemon never falls over, every datagram it received is delivered,
/// dead-lettered or dropped with a reason (exactly), and every message it produced is valid UTF-8 JSON.
/// </summary>
public sealed partial class FuzzTests(ITestOutputHelper output)
{
    /// <summary>CI's count; the long run sets <c>HAPROXYKAFKA_FUZZ_DATAGRAMS=1000000</c> (docs/reliability.md).</summary>
    private static readonly int Count = int.Parse(Environment.GetEnvironmentVariable("HAPROXYKAFKA_FUZZ_DATAGRAMS") ?? "100000", CultureInfo.InvariantCulture);

    private static readonly ulong Seed = ulong.Parse(Environment.GetEnvironmentVariable("HAPROXYKAFKA_FUZZ_SEED") ?? "20261202", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Fuzzed_datagrams_never_crash_the_daemon_and_the_ledger_is_exact()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        await using var follower = TopicFollower.Start(run.Cluster.BootstrapServers, run.Topic);

        // A blocking sender waits while the kernel queue (max_dgram_qlen, 10 here) is full, so every datagram reaches
        // the daemon and its received counter can be held to the count sent.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = true };
        var target = new UnixDomainSocketEndPoint(run.SocketPath);
        var clock = Stopwatch.StartNew();
        long sent = 0, bytes = 0, empty = 0, oversized = 0;
        foreach (var datagram in FuzzedDatagrams.Generate(Count, Seed))
        {
            socket.SendTo(datagram, target);
            sent++;
            bytes += datagram.Length;
            empty += datagram.Length == 0 ? 1 : 0;
            oversized += datagram.Length > 8192 ? 1 : 0;
        }

        var sending = clock.Elapsed;
        (await Until.TrueAsync(async () => await run.CountersAsync() is { InFlight: 0 } l && l.Received >= sent, TimeSpan.FromMinutes(10)))
            .Should().BeTrue($"the daemon settles every datagram:\n{await run.CountersAsync()}\n{run.Forwarder.Log}");
        var ledger = await run.CountersAsync();
        var settled = clock.Elapsed;
        var metrics = await run.Forwarder.GetAsync("metrics");
        var deadLettered = ByLabel(metrics, "haproxykafka_dead_lettered_lines_total");
        var dropped = ByLabel(metrics, "haproxykafka_dropped_lines_total");
        output.WriteLine($"seed {Seed}: {sent} datagrams ({bytes / 1e6:F1} MB, {empty} empty, {oversized} over 8192 bytes) sent in {sending.TotalSeconds:F1} s ({sent / sending.TotalSeconds:F0}/s), all settled after {settled.TotalSeconds:F1} s");
        output.WriteLine($"ledger: {ledger}");
        output.WriteLine($"dead-lettered: {string.Join(", ", deadLettered.Select(kv => $"{kv.Key} {kv.Value}"))}");
        output.WriteLine($"dropped: {string.Join(", ", dropped.Select(kv => $"{kv.Key} {kv.Value}"))}");

        run.Forwarder.HasExited.Should().BeFalse("fuzzed input never brings the daemon down");
        (await run.Forwarder.GetAsync("healthz")).Should().Contain("idle, nothing pending");
        ledger.Received.Should().Be(sent, "every datagram the socket took was received");
        ledger.AddsUp.Should().BeTrue(ledger.ToString());
        deadLettered.Values.Sum().Should().Be(ledger.DeadLettered, "every dead letter is counted under a reason");
        dropped.Values.Sum().Should().Be(ledger.Dropped, "every drop is counted under a reason");
        ledger.Delivered.Should().BePositive("the intact and the harmlessly edited lines are delivered");
        ledger.DeadLettered.Should().BePositive("most damage is caught and dead-lettered");

        (await follower.WaitForAsync(ledger.Delivered, TimeSpan.FromMinutes(5))).Should().BeTrue($"kcat read {follower.Messages} of {ledger.Delivered} delivered messages");
        await Task.Delay(500); // nothing beyond what was counted delivered may arrive
        follower.Messages.Should().Be(ledger.Delivered, "the topic holds exactly what the daemon counted delivered");
        follower.InvalidCount.Should().Be(0, string.Join('\n', follower.Invalid));
    }

    private static Dictionary<string, long> ByLabel(string metrics, string name) =>
        LabeledSample().Matches(metrics).Where(m => m.Groups["name"].Value == name)
            .ToDictionary(m => m.Groups["label"].Value, m => long.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex("^(?<name>[a-z_]+)\\{reason=\"(?<label>[a-z_]+)\"\\} (?<value>[0-9]+)$", RegexOptions.Multiline)]
    private static partial Regex LabeledSample();
}
