using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;
using Xunit.Abstractions;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>The broker misbehaves under load (slow, or gone for longer than librdkafka waits): every line is accounted for.</summary>
public sealed class BrokerFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_stalled_broker_under_load_delays_lines_but_every_one_is_delivered_once()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        long peakInFlight;
        IReadOnlyList<int> accepted;
        using (var load = new SteadyLoad(run.SocketPath, run.Fingerprint, linesPerMillisecond: 2))
        {
            (await Until.TrueAsync(async () => await run.CountersAsync() is { Delivered: > 1000 }, TimeSpan.FromSeconds(60))).Should().BeTrue(run.Forwarder.Log);

            // Connected, up, but every response 3 s late: lines pile up in flight instead of settling.
            run.Cluster.SetRtt(1, TimeSpan.FromSeconds(3));
            (await Until.TrueAsync(async () => await run.CountersAsync() is { InFlight: >= 2000 }, TimeSpan.FromSeconds(60)))
                .Should().BeTrue("the stalled broker holds lines in flight:\n" + run.Forwarder.Log);
            peakInFlight = (await run.CountersAsync()).InFlight;
            run.Cluster.SetRtt(1, TimeSpan.Zero);
            (await Until.TrueAsync(async () => await run.CountersAsync() is { InFlight: < 500 }, TimeSpan.FromSeconds(60))).Should().BeTrue("lines settle again once the broker answers promptly");
            load.Stop();
            accepted = load.AcceptedSequences;
            output.WriteLine($"load: {accepted.Count} accepted in {load.Elapsed.TotalSeconds:F1} s, {load.WouldBlock} EAGAIN; in flight during the stall: {peakInFlight}");
        }

        (await Until.TrueAsync(async () => await run.CountersAsync() is { InFlight: 0 } l && l.Received == accepted.Count, TimeSpan.FromSeconds(60))).Should().BeTrue();
        var ledger = await run.CountersAsync();
        output.WriteLine($"ledger: {ledger}");
        run.Forwarder.HasExited.Should().BeFalse();
        ledger.Should().Be(new Ledger(Received: accepted.Count, Delivered: accepted.Count, DeadLettered: 0, Dropped: 0, InFlight: 0));
        var onTopic = await Found.OnTopicAsync(run.Cluster.BootstrapServers, run.Topic);
        onTopic.Should().OnlyHaveUniqueItems("a late answer is not a failure, so nothing is retried into a duplicate");
        onTopic.Order().Should().Equal(accepted.Select(s => (long)s).Order());
    }

    [Fact]
    public async Task A_broker_down_longer_than_message_timeout_ends_every_line_delivered_or_dead_lettered_delivery_failed()
    {
        // librdkafka gives up on a message after message.timeout.ms; production's 300 s is shortened to 2 s.
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, editConfig: FaultConfig.Rdkafka(("message.timeout.ms", "2000")));
        IReadOnlyList<int> accepted;
        using (var load = new SteadyLoad(run.SocketPath, run.Fingerprint, linesPerMillisecond: 1))
        {
            (await Until.TrueAsync(async () => await run.CountersAsync() is { Delivered: > 500 }, TimeSpan.FromSeconds(60))).Should().BeTrue(run.Forwarder.Log);
            run.Cluster.SetBrokerDown(1, down: true);

            // Down until lines have expired and been written to the dead-letter file (the DLQ topic is on the same broker).
            (await Until.TrueAsync(async () => await run.CountersAsync() is { DeadLettered: > 500 }, TimeSpan.FromSeconds(60)))
                .Should().BeTrue("lines expire after message.timeout.ms and are dead-lettered:\n" + run.Forwarder.Log);
            run.Cluster.SetBrokerDown(1, down: false);
            var deliveredAtRecovery = (await run.CountersAsync()).Delivered;
            (await Until.TrueAsync(async () => (await run.CountersAsync()).Delivered > deliveredAtRecovery + 500, TimeSpan.FromSeconds(60)))
                .Should().BeTrue("delivery resumes once the broker is back");
            load.Stop();
            accepted = load.AcceptedSequences;
            output.WriteLine($"load: {accepted.Count} accepted in {load.Elapsed.TotalSeconds:F1} s, {load.WouldBlock} EAGAIN");
        }

        (await Until.TrueAsync(async () => await run.CountersAsync() is { InFlight: 0 } l && l.Received == accepted.Count, TimeSpan.FromSeconds(60))).Should().BeTrue();
        var ledger = await run.CountersAsync();
        var onTopic = await Found.OnTopicAsync(run.Cluster.BootstrapServers, run.Topic);
        var file = Found.DeadLetters(run.DeadLetterPath);
        var onDlq = await Found.OnDlqTopicAsync(run.Cluster.BootstrapServers, run.DlqTopic);
        var deadLettered = file.Letters.Concat(onDlq).ToList();
        var dead = deadLettered.Select(Found.SequenceOf).ToList();
        var metrics = await run.Forwarder.GetAsync("metrics");
        output.WriteLine($"ledger: {ledger}; {onTopic.Count} on the topic; dead letters: {file.Letters.Count} in the file (the DLQ topic was down too), {onDlq.Count} on the DLQ topic; on the topic and dead-lettered: {onTopic.Intersect(dead).Count()}");

        ledger.Should().Be(new Ledger(Received: accepted.Count, Delivered: onTopic.Count, DeadLettered: deadLettered.Count, Dropped: 0, InFlight: 0));
        file.Letters.Should().NotBeEmpty("the DLQ topic was down as long as the main one, so letters fell back to the file");
        file.TornTail.Should().BeNull();
        deadLettered.Should().OnlyContain(l => l.Reason == "delivery_failed" && l.Message != null && l.Topic == run.Topic);
        metrics.Should().Contain($"haproxykafka_dead_lettered_lines_total{{reason=\"delivery_failed\"}} {deadLettered.Count}\n");
        onTopic.Should().OnlyHaveUniqueItems();
        dead.Should().OnlyHaveUniqueItems();
        onTopic.Concat(dead).Order().Should().Equal(accepted.Select(s => (long)s).Order(), "every accepted line is on the topic or dead-lettered, exactly once");
    }
}
