using System.Text.Json;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.E2E;

/// <summary>Nothing is lost silently: every line is delivered, dead-lettered with its reason, or dropped with a reason.</summary>
public class LedgerTests
{
    [Fact]
    public async Task Counters_add_up_and_every_bad_line_is_on_the_dlq_topic_with_its_reason()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        using var sender = new DatagramSender(run.SocketPath);
        for (var i = 0; i < 200; i++)
        {
            sender.Send(Lines.Request(run.Fingerprint, i));
        }

        var bad = new Dictionary<string, string>
        {
            ["fingerprint_mismatch"] = Lines.Request("0000000000000000", 9001),
            ["sd_id_mismatch"] = Lines.Request(run.Fingerprint, 9002, sdId: "benthoslog"),
            ["missing_required"] = Lines.Request(run.Fingerprint, 9003, pid: "-"),
            ["emptied"] = "<134>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - - \n",
            ["truncated"] = Lines.Request(run.Fingerprint, 9004)[..300],
            ["malformed"] = "this is not syslog",
        };
        foreach (var line in bad.Values)
        {
            sender.Send(line);
        }

        sender.Send("<133>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - - Proxy tls started.\n");

        await run.WaitForQuietAsync(207, TimeSpan.FromSeconds(30));
        var ledger = await run.CountersAsync();
        ledger.Should().Be(new Ledger(Received: 207, Delivered: 200, DeadLettered: 6, Dropped: 1, InFlight: 0));
        ledger.AddsUp.Should().BeTrue();

        (await Kcat.ReadAllAsync(run.Cluster.BootstrapServers, run.Topic)).Should().HaveCount(200);
        var dlq = await Kcat.ReadAllAsync(run.Cluster.BootstrapServers, run.DlqTopic, "%h\t%s\n");
        dlq.Should().HaveCount(6);
        foreach (var entry in dlq)
        {
            var (header, json) = (entry.Split('\t')[0], entry.Split('\t', 2)[1]);
            using var letter = JsonDocument.Parse(json);
            var reason = letter.RootElement.GetProperty("reason").GetString()!;
            header.Should().Be($"reason={reason}");
            var raw = Convert.FromBase64String(letter.RootElement.GetProperty("line_base64").GetString()!);
            System.Text.Encoding.UTF8.GetString(raw).Should().Be(bad[reason], "the dead letter keeps the exact datagram");
            letter.RootElement.GetProperty("host").GetString().Should().Be("cp9999.demo.wmnet");
        }

        var metrics = await run.Forwarder.GetAsync("metrics");
        foreach (var reason in bad.Keys)
        {
            metrics.Should().Contain($"haproxykafka_dead_lettered_lines_total{{reason=\"{reason}\"}} 1\n");
        }

        metrics.Should().Contain("haproxykafka_dropped_lines_total{reason=\"not_a_request\"} 1\n")
            .And.Contain("haproxykafka_lines_total{kind=\"notice\"} 1\n")
            .And.Contain("haproxykafka_valid_messages_total 200\n");
    }

    [Fact]
    public async Task Sigterm_under_load_loses_nothing()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        using var sender = new DatagramSender(run.SocketPath);

        // Sends as HAProxy does (never waits); a full socket is counted by the sender, like HAProxy's DroppedLogs.
        var load = Task.Run(() =>
        {
            for (var i = 0; i < 6000 && !run.Forwarder.HasExited; i++)
            {
                try
                {
                    sender.TrySend(System.Text.Encoding.UTF8.GetBytes(Lines.Request(run.Fingerprint, i)));
                    if (i % 10 == 0)
                    {
                        Thread.Sleep(1); // ~10k lines/s, so SIGTERM lands in the middle of the load
                    }
                }
                catch (System.Net.Sockets.SocketException)
                {
                    break; // the daemon closed its socket
                }
            }
        });
        await Task.Delay(300);
        var exit = await run.Forwarder.TerminateAsync(TimeSpan.FromSeconds(60));
        await load;

        exit.Should().Be(0, run.Forwarder.Log);
        var final = FinalLedger(run.Forwarder.Log);
        (sender.Sent + sender.WouldBlock).Should().BeLessThan(6000, "SIGTERM arrived while the load was still running");
        final.InFlight.Should().Be(0);
        final.AddsUp.Should().BeTrue(final.ToString());
        final.Received.Should().BePositive();
        (await Kcat.ReadAllAsync(run.Cluster.BootstrapServers, run.Topic)).Should().HaveCount((int)final.Delivered, "kafka holds exactly what the daemon counted as delivered");
        final.Received.Should().Be(sender.Sent, "the daemon unlinks its socket, then reads what the kernel queued before it closes");
    }

    [Fact]
    public async Task With_kafka_down_sigterm_dead_letters_to_the_file_and_replay_delivers_it()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        run.Cluster.SetBrokerDown(1, down: true);
        using (var sender = new DatagramSender(run.SocketPath))
        {
            for (var i = 0; i < 50; i++)
            {
                sender.Send(Lines.Request(run.Fingerprint, i));
            }
        }

        await run.WaitForQuietAsync(50, TimeSpan.FromSeconds(2)); // nothing settles while Kafka is down
        var before = await run.CountersAsync();
        before.Should().Be(new Ledger(50, 0, 0, 0, 50));
        (await run.Forwarder.GetAsync("healthz")).Should().Contain("50 lines in flight");

        var exit = await run.Forwarder.TerminateAsync(TimeSpan.FromSeconds(60));

        exit.Should().Be(0, run.Forwarder.Log);
        FinalLedger(run.Forwarder.Log).Should().Be(new Ledger(50, 0, 50, 0, 0));
        var letters = File.ReadAllLines(run.DeadLetterPath);
        letters.Should().HaveCount(50);
        letters.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString()).Should().AllBe("shutdown_undelivered");

        run.Cluster.SetBrokerDown(1, down: false);
        var replay = await ExternalTool.RunAsync(ForwarderProcess.Executable, ["replay", "-c", run.ConfigPath, run.DeadLetterPath]);

        replay.ExitCode.Should().Be(0, replay.ToString());
        replay.Output.Should().Contain("50 delivered, 0 remaining");
        var topic = await Kcat.ReadAllAsync(run.Cluster.BootstrapServers, run.Topic);
        topic.Select(m => JsonDocument.Parse(m).RootElement.GetProperty("sequence").GetInt64()).Should().BeEquivalentTo(Enumerable.Range(0, 50));
    }

    private static Ledger FinalLedger(string log)
    {
        var match = System.Text.RegularExpressions.Regex.Match(log, @"stopped: received (\d+), delivered (\d+), dead-lettered (\d+), dropped (\d+), in flight (\d+)");
        match.Success.Should().BeTrue(log);
        long At(int i) => long.Parse(match.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new Ledger(At(1), At(2), At(3), At(4), At(5));
    }
}
