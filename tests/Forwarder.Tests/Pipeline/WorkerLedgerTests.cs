using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Pipeline;
using HaproxyKafka.Harness;

namespace HaproxyKafka.Forwarder.Tests.Pipeline;

/// <summary>
/// <c>received = delivered + dead_lettered + dropped + in_flight</c>, with the daemon's own pieces in this process:
/// the receive thread on a real socket, the queue, a worker, the sinks on a real producer. The test plays the worker
/// loop one line at a time and decides when delivery reports arrive, so the ledger is checked after every event.
/// </summary>
public class WorkerLedgerTests
{
    private static readonly string Fingerprint = ShippedTable.Table.Fingerprint;

    private static readonly (string Reason, string Line)[] BadLines =
    [
        ("malformed", "this is not syslog"),
        ("emptied", "<134>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - - \n"),
        ("truncated", Lines.Request(Fingerprint, 9001)[..300]),
        ("sd_id_mismatch", Lines.Request(Fingerprint, 9002, sdId: "benthoslog")),
        ("fingerprint_mismatch", Lines.Request("0000000000000000", 9003)),
        ("missing_required", Lines.Request(Fingerprint, 9004, pid: "-")),
    ];

    [Fact]
    public void Every_line_ends_in_exactly_one_column_and_the_ledger_adds_up_after_every_event()
    {
        using var rig = new SinkRig(queueBytes: 64 * 1024);
        using var receiving = new InProcessReceiver(rig.Scratch, rig.Queue, rig.Metrics);
        var worker = new Worker(0, rig.Queue, ShippedTable.Mapper(), rig.Sink, rig.DeadLetters, rig.Metrics, rig.Progress, CancellationToken.None);
        var received = 0;
        void Receive(string line)
        {
            receiving.Send(line);
            receiving.WaitUntilHandled(++received);
        }

        int Work()
        {
            rig.Queue.Depth.Should().BePositive("a line waits in the queue");
            var run = rig.Queue.TryTake();
            run.Should().NotBeNull();
            try
            {
                worker.Handle(run!);
                return run!.Count;
            }
            finally
            {
                rig.Queue.Return(run!);
            }
        }

        void Expect(string step, long delivered, long deadLettered, long dropped, long inFlight)
        {
            var ledger = rig.Ledger;
            ledger.Should().Be(new Ledger(received, delivered, deadLettered, dropped, inFlight), step);
            ledger.AddsUp.Should().BeTrue(step);
            ledger.InFlight.Should().BeGreaterThanOrEqualTo(0, step);
        }

        Expect("start", 0, 0, 0, 0);

        Receive(Lines.Request(Fingerprint, 1));
        Expect("a request in the internal queue", 0, 0, 0, 1);
        Work();
        Expect("the request in librdkafka", 0, 0, 0, 1);
        rig.Sink.Outstanding.Should().Be(1);
        rig.Settle();
        Expect("its delivery report", 1, 0, 0, 0);

        Receive("<133>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - - Proxy tls started.\n");
        Expect("a notice in the internal queue", 1, 0, 0, 1);
        Work();
        Expect("the notice dropped on purpose", 1, 0, 1, 0);
        TestMetrics.Value(rig.Metrics.Dropped, Reasons.NotARequest).Should().Be(1);

        var deadLettered = 0;
        foreach (var (reason, line) in BadLines)
        {
            Receive(line);
            Work();
            Expect($"{reason}: on its way to the DLQ topic", 1, deadLettered, 1, 1);
            rig.DeadLetters.Outstanding.Should().Be(1, reason);
            rig.Settle();
            Expect($"{reason}: on the DLQ topic", 1, ++deadLettered, 1, 0);
            TestMetrics.Value(rig.Metrics.DeadLettered, reason).Should().Be(1, reason);
        }

        // Two of these fill the 64 KiB ring.
        for (var i = 0; i < 3; i++)
        {
            Receive(Lines.Request(Fingerprint, 10 + i).Replace("uri_query=\"-\"", $"uri_query=\"?q={new string('a', 30_000)}\"", StringComparison.Ordinal));
        }

        Expect("three long requests at once: two fit the ring, the third is refused", 1, deadLettered, 2, 2);
        TestMetrics.Value(rig.Metrics.Dropped, Reasons.QueueFull).Should().Be(1);
        Work().Should().Be(2, "one run takes every line published");
        Expect("both in librdkafka", 1, deadLettered, 2, 2);
        rig.Settle();
        Expect("both delivered", 3, deadLettered, 2, 0);

        rig.Kafka.Cluster.RefuseProduceRequests(1);
        Receive(Lines.Request(Fingerprint, 20));
        Work();
        Expect("a request Kafka will refuse, in librdkafka", 3, deadLettered, 2, 1);
        rig.Settle();
        Expect("refused, then on the DLQ topic", 3, ++deadLettered, 2, 0);
        TestMetrics.Value(rig.Metrics.DeadLettered, Reasons.DeliveryFailed).Should().Be(1);

        TestMetrics.Value(rig.Metrics.Valid).Should().Be(4);
        TestMetrics.Value(rig.Metrics.DeadLetterFile).Should().Be(0, "the DLQ topic took every dead letter");
    }

    [Fact]
    public async Task Under_concurrent_workers_in_flight_never_goes_negative_and_the_ledger_closes_at_zero()
    {
        using var rig = new SinkRig(queueBytes: 64 * 1024, producerSettings: ("linger.ms", "2"));
        using var receiving = new InProcessReceiver(rig.Scratch, rig.Queue, rig.Metrics);
        var workers = Enumerable.Range(0, 2)
            .Select(i => new Worker(i, rig.Queue, ShippedTable.Mapper(), rig.Sink, rig.DeadLetters, rig.Metrics, rig.Progress, CancellationToken.None))
            .ToList();
        workers.ForEach(w => w.Start());
        using var sampling = new CancellationTokenSource();
        var lowest = Task.Run(() =>
        {
            var min = long.MaxValue;
            while (!sampling.IsCancellationRequested)
            {
                min = Math.Min(min, rig.InFlight);
                Thread.Yield();
            }

            return min;
        });

        try
        {
            for (var i = 0; i < 300; i++)
            {
                receiving.Send(i % 10 == 0 ? BadLines[i % BadLines.Length].Line : Lines.Request(Fingerprint, i));
            }

            receiving.Stop();
        }
        finally
        {
            // Workers drain the queue and end, so nothing uses it once the rig is disposed.
            rig.Queue.Complete();
            workers.ForEach(w => w.Join(TimeSpan.FromSeconds(30)).Should().BeTrue());
        }

        rig.Settle();
        await sampling.CancelAsync();

        (await lowest).Should().BeGreaterThanOrEqualTo(0);
        var ledger = rig.Ledger;
        ledger.Received.Should().Be(300);
        ledger.InFlight.Should().Be(0);
        ledger.AddsUp.Should().BeTrue(ledger.ToString());
        (TestMetrics.Total(rig.Metrics.DeadLettered) + TestMetrics.Value(rig.Metrics.Dropped, Reasons.QueueFull) + ledger.Delivered).Should().Be(300);
    }
}
