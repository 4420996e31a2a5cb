using System.Diagnostics;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;
using Xunit.Abstractions;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary><c>kill -9</c> under load: what is lost is at most what the daemon held in memory, and nothing is damaged.</summary>
public sealed class KillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_9_under_load_loses_at_most_what_was_in_memory_and_a_new_daemon_starts_cleanly()
    {
        // No DLQ topic: the rejected lines go to the dead-letter file, the store a crash could tear.
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, editConfig: FaultConfig.WithoutDlqTopic);
        Ledger atScrape;
        IReadOnlyList<int> accepted;
        using (var load = new SteadyLoad(run.SocketPath, run.Fingerprint, linesPerMillisecond: 3, rejectEvery: 20))
        {
            (await Until.TrueAsync(async () => await run.CountersAsync() is { Delivered: > 2000, DeadLettered: > 100 }, TimeSpan.FromSeconds(60)))
                .Should().BeTrue("lines are delivered and dead letters written before the kill:\n" + run.Forwarder.Log);

            atScrape = await run.CountersAsync();
            Process.GetProcessById(run.Forwarder.Pid).Kill();
            (await Until.TrueAsync(() => Task.FromResult(run.Forwarder.HasExited), TimeSpan.FromSeconds(30))).Should().BeTrue();
            await Task.Delay(100); // let the sender meet the closed socket, so the load provably outlived the daemon
            load.Stop();
            accepted = load.AcceptedSequences;
            load.Refused.Should().BePositive("the load was still running when the daemon died");
            output.WriteLine($"load: {accepted.Count} accepted in {load.Elapsed.TotalSeconds:F1} s ({accepted.Count / load.Elapsed.TotalSeconds:F0}/s), {load.WouldBlock} EAGAIN, {load.Refused} refused after the kill");
        }

        var onTopic = await Found.OnTopicAsync(run.Cluster.BootstrapServers, run.Topic);
        var file = Found.DeadLetters(run.DeadLetterPath);
        var inFile = file.Letters.Select(Found.SequenceOf).ToList();
        var acceptedSet = accepted.Select(s => (long)s).ToHashSet();
        var lost = acceptedSet.Except(onTopic).Except(inFile).Count();
        var receivedAfterScrape = accepted.Count - atScrape.Received;
        output.WriteLine($"at the last scrape before the kill: {atScrape}; accepted after it (or queued in the kernel): {receivedAfterScrape}");
        output.WriteLine($"found: {onTopic.Count} on the topic, {inFile.Count} in the dead-letter file; lost {lost} (bound {atScrape.InFlight} in memory + {receivedAfterScrape} after the scrape); torn tail: {file.TornTail ?? "none"}");

        onTopic.Should().OnlyHaveUniqueItems("the kill must not make anything produced twice");
        inFile.Should().OnlyHaveUniqueItems();
        onTopic.Except(acceptedSet).Should().BeEmpty("only lines the socket accepted can be on the topic");
        inFile.Except(acceptedSet).Should().BeEmpty();
        onTopic.Should().HaveCountGreaterThanOrEqualTo((int)atScrape.Delivered, "what was counted delivered is on the broker");
        inFile.Should().HaveCountGreaterThanOrEqualTo((int)atScrape.DeadLettered, "what was counted dead-lettered is in the file");
        file.Letters.Should().OnlyContain(l => l.Reason == "fingerprint_mismatch");
        atScrape.Dropped.Should().Be(0);
        lost.Should().BeLessThanOrEqualTo((int)(atScrape.InFlight + receivedAfterScrape), "kill -9 loses only lines in memory: in flight at the scrape, or received after it");

        // A new daemon on the same socket path, config and dead-letter file starts and works.
        await using var next = await ForwarderProcess.StartAsync(run.ConfigPath, run.Forwarder.Monitoring.Port);
        using (var sender = new DatagramSender(run.SocketPath))
        {
            for (var i = 0; i < 100; i++)
            {
                sender.Send(Lines.Request(i % 10 == 9 ? SteadyLoad.ForeignFingerprint : run.Fingerprint, 1_000_000 + i));
            }
        }

        (await Until.TrueAsync(async () => await next.CountersAsync() is { Received: >= 100, InFlight: 0 }, TimeSpan.FromSeconds(60))).Should().BeTrue(next.Log);
        (await next.CountersAsync()).Should().Be(new Ledger(Received: 100, Delivered: 90, DeadLettered: 10, Dropped: 0, InFlight: 0));
        (await next.TerminateAsync(TimeSpan.FromSeconds(60))).Should().Be(0, next.Log);
        (await Found.OnTopicAsync(run.Cluster.BootstrapServers, run.Topic)).Where(s => s >= 1_000_000).Should().HaveCount(90).And.OnlyHaveUniqueItems();
        var after = Found.DeadLetters(run.DeadLetterPath);
        after.TornTail.Should().BeNull("the new daemon's letters start on a line of their own and end with a newline");
        after.Letters.Select(Found.SequenceOf).Where(s => s >= 1_000_000).Should().HaveCount(10);
    }

    [Fact]
    public async Task A_torn_dead_letter_left_by_a_crash_is_cut_off_and_the_next_letters_start_on_a_line_of_their_own()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, editConfig: FaultConfig.WithoutDlqTopic);

        // What a kill during a write leaves: whole records, then the start of one (the daemon opens the file at its first letter).
        using (var earlier = new HaproxyKafka.Forwarder.DeadLetters.DeadLetterFile(run.DeadLetterPath))
        {
            earlier.TryAppend(new HaproxyKafka.Forwarder.DeadLetters.DeadLetter(DateTimeOffset.UnixEpoch, "malformed", "earlier", "cp9999.demo.wmnet", null, "eA==", "x", null)).Should().BeNull();
        }

        await File.AppendAllTextAsync(run.DeadLetterPath, "{\"time\":\"2026-12-02T17:00:00+00:00\",\"reason\":\"fingerprint_mis");
        Found.DeadLetters(run.DeadLetterPath).TornTail.Should().NotBeNull("the file starts torn");

        using (var sender = new DatagramSender(run.SocketPath))
        {
            for (var i = 0; i < 3; i++)
            {
                sender.Send(Lines.Request(SteadyLoad.ForeignFingerprint, i));
            }
        }

        (await Until.TrueAsync(async () => await run.CountersAsync() is { DeadLettered: 3, InFlight: 0 }, TimeSpan.FromSeconds(60))).Should().BeTrue(run.Forwarder.Log);
        var file = Found.DeadLetters(run.DeadLetterPath);
        file.TornTail.Should().BeNull();
        file.Letters.Select(l => l.Detail == "earlier" ? -1 : Found.SequenceOf(l)).Should().Equal(-1, 0, 1, 2);
    }
}
