using System.Text;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Forwarder.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace HaproxyKafka.DeadLetters.Benchmarks;

/// <summary>
/// A 100 % rejection storm (every line a fingerprint mismatch, no DLQ topic: the file is the only home) from two
/// worker threads, as the daemon runs them with <c>workers: 2</c>. One operation is one rejected line, measured until
/// it is in the dead-letter file and synced, on a real disk (the repository's file system, not tmpfs), so the cost
/// of <c>fsync</c> is in the figure. Uses only the sink's constructor, <c>Rejected</c> and <c>Outstanding</c>, which
/// the per-line implementation had too, so the same class measures before and after.
/// </summary>
// In process: a separate build of the boilerplate times out on the shared 2-core machine.
[InProcess]
[WarmupCount(1)]
[IterationCount(5)]
public class RejectionStorm
{
    private const int Workers = 2;
    private const int LinesPerWorker = 500;

    private static readonly byte[] Line = Encoding.ASCII.GetBytes(
        "<134>1 2024-05-23T15:23:41.859657+00:00 cp3050 haproxy 4242 - [haproxykafka@0 schema_fp=\"0000000000000000\" " +
        "sequence=\"9001\" http_method=\"GET\" uri_host=\"en.wikipedia.org\" uri_path=\"/wiki/Special:Random\" uri_query=\"\" " +
        "http_status=\"200\" response_size=\"51234\" time_firstbyte=\"0.012\" ip=\"198.51.100.7\" content_type=\"text/html\" " +
        "user_agent=\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\" " +
        "accept_language=\"en-GB,en;q=0.9\" referer=\"https://en.wikipedia.org/\" x_cache=\"cp3050 hit, cp3050 hit/12\"] -\n");

    private string _directory = null!;
    private IProducer<Null, byte[]> _producer = null!;
    private DeadLetterFile _file = null!;
    private DeadLetterSink _sink = null!;

    [GlobalSetup]
    public void Setup()
    {
        KafkaNativeLibrary.EnsureInstalled();
        _directory = Path.Combine(AppContext.BaseDirectory, "storm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        _producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = "127.0.0.1:9" }).SetLogHandler((_, _) => { }).Build();
        _file = new DeadLetterFile(Path.Combine(_directory, "dead-letters.jsonl"));
        var monitoring = new MonitoringSettings(false, true, "127.0.0.1:0", "haproxykafka_", [1e-3], [1e-3], [1e-3], TimeSpan.FromSeconds(30));
        _sink = new DeadLetterSink(_producer, string.Empty, _file, new ForwarderMetrics(monitoring, () => 0), "cp3050.esams.wmnet", NullLogger.Instance);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ((object)_sink as IDisposable)?.Dispose(); // the per-line sink had nothing to dispose
        _file.Dispose();
        _producer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Workers * LinesPerWorker)]
    public long RejectedLineToFile()
    {
        var workers = new Thread[Workers];
        for (var w = 0; w < Workers; w++)
        {
            workers[w] = new Thread(() =>
            {
                for (var i = 0; i < LinesPerWorker; i++)
                {
                    _sink.Rejected("fingerprint_mismatch", "'schema_fp' is not the table's fingerprint", Line);
                }
            });
            workers[w].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        while (_sink.Outstanding > 0)
        {
            Thread.Sleep(1);
        }

        return new FileInfo(_file.Path).Length;
    }
}
