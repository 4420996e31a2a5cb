using HaproxyKafka.Contract;
using HaproxyKafka.Harness;
using HaproxyKafka.Race.Corpus;
using HaproxyKafka.Race.Measuring;
using HaproxyKafka.Race.Receivers;
using HaproxyKafka.Race.Sending;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Race;

/// <summary>
/// The race at the current <c>net.unix.max_dgram_qlen</c>: for each receiver and offered rate, a fresh mock broker
/// and a fresh receiver process, the HAProxy-like sender for the set time, then wait until the receiver is done and
/// measure. Only the receiver's process tree is measured; the sender and broker run in this process.
/// </summary>
public static class RaceRunner
{
    public const string Hostname = "cp9999.race.wmnet";

    public static async Task<RaceResults> RunAsync(RaceOptions options, TextWriter log)
    {
        var machine = MachineFacts.Collect();
        var table = ParserTableLoader.Load(Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json"));
        var corpus = await LoadOrMakeCorpusAsync(options, table, log);
        var check = new ReadBackCheck(corpus.Datagrams, table, Hostname);
        log.WriteLine($"race: qlen {machine.Qlen}, {machine.Cores} cores, load {machine.LoadBefore}; corpus {corpus.Datagrams.Count} lines (median {corpus.MedianBytes} B, {check.Mappable} mappable)");

        var runs = new List<RunResult>();
        foreach (var kind in options.Receivers)
        {
            foreach (var rate in options.Rates)
            {
                var result = await RunOneAsync(kind, rate, machine.Qlen, corpus, check, table, options);
                runs.Add(result);
                log.WriteLine($"  {result.Receiver,-8} {result.RateLabel,-7} offered {result.OfferedRate,8:F0}/s accepted {result.Accepted,8} EAGAIN {result.EagainPercent,5:F1}% received {result.Received?.ToString() ?? "-",8} " +
                              $"delivered {result.Delivered?.ToString() ?? "-",8} lost inside {result.LostInside?.ToString() ?? "-",5} CPU {result.CpuSeconds,6:F2}s ({result.CpuPer100k:F2}/100k) RSS {result.PeakRssMib,6:F1} MiB" +
                              (result.ReadBack is { } rb ? $" read-back {rb.SameValues}/{rb.Sampled} same ({rb.Exact} byte-exact, {rb.InvalidJson} not JSON)" : string.Empty) +
                              (result.DeliveryP99 is { } p ? $" p99 {p.Ms:F1} ms ({p.LowerMs:F0}-{p.UpperMs:F0})" : string.Empty));
            }
        }

        return new RaceResults(machine with { LoadAfter = MachineFacts.LoadAverage() }, corpus.Datagrams.Count, corpus.MedianBytes, runs);
    }

    private static async Task<CorpusFile> LoadOrMakeCorpusAsync(RaceOptions options, ParserTable table, TextWriter log)
    {
        if (CorpusFile.TryRead(options.CorpusPath) is { } cached && cached.Fingerprint == table.Fingerprint && cached.Datagrams.Count > 0)
        {
            log.WriteLine($"corpus: {options.CorpusPath} ({cached.Datagrams.Count} lines)");
            return cached;
        }

        var made = await CorpusMaker.MakeAsync(RepoPaths.Generated, table.Fingerprint, table.SdId, options.CorpusRequests, log);
        made.Write(options.CorpusPath);
        return made;
    }

    private static async Task<RunResult> RunOneAsync(ReceiverKind kind, int? rate, int qlen, CorpusFile corpus, ReadBackCheck check, ParserTable table, RaceOptions options)
    {
        // /dev/shm keeps the socket path short and the receivers' files off the shared disk.
        var scratch = Directory.CreateDirectory(Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "race-" + Guid.NewGuid().ToString("N")[..8]));
        try
        {
            using var cluster = new MockKafkaCluster();
            var topic = table.Clusters["text"];
            cluster.CreateTopic(topic);
            cluster.CreateTopic(table.DlqTopic);
            var setting = new RaceSetting(scratch.FullName, Path.Combine(scratch.FullName, "hk.sock"), cluster.BootstrapServers, topic, table.DlqTopic, Hostname,
                Path.Combine(RepoPaths.Root, "bench", "peers"), Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json"));
            await using IRaceReceiver receiver = kind switch
            {
                ReceiverKind.Raw => await RawFloorReceiver.StartAsync(setting),
                ReceiverKind.Rsyslog => await RsyslogReceiver.StartAsync(setting),
                _ => await DaemonReceiver.StartAsync(setting, options.DaemonEnvironment),
            };
            await Task.Delay(500);

            var cpuBefore = ProcessTree.CpuSeconds(receiver.Pid);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var sent = await Task.Factory.StartNew(() => HaproxyLikeSender.Send(setting.SocketPath, corpus.Datagrams, rate, options.PerRate), TaskCreationOptions.LongRunning);
            await receiver.WaitUntilDoneAsync(sent.Accepted, TimeSpan.FromMinutes(3));
            var done = clock.Elapsed.TotalSeconds;
            var cpu = ProcessTree.CpuSeconds(receiver.Pid) - cpuBefore;
            var rss = ProcessTree.PeakRssMib(receiver.Pid);
            var counts = await receiver.StopAsync();

            long? delivered = null;
            ReadBack? readBack = null;
            if (kind != ReceiverKind.Raw)
            {
                delivered = await BrokerTopic.EndOffsetAsync(cluster.BootstrapServers, topic, 1);
                readBack = check.Check(await BrokerTopic.NewestAsync(cluster.BootstrapServers, topic, options.SampleSize));
            }

            return new RunResult(kind.ToString().ToLowerInvariant(), qlen, rate, sent.Elapsed.TotalSeconds, sent.Offered, sent.Accepted, sent.Eagain, sent.OtherErrors,
                counts.Received, delivered, counts.DeadLettered, counts.Dropped, done, cpu, rss, readBack, counts.DeliveryP99);
        }
        finally
        {
            try
            {
                scratch.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A socket file may linger for a moment.
            }
        }
    }
}
