using System.Globalization;
using System.Text.Json;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.Race.Measuring;

namespace HaproxyKafka.Race.Receivers;

/// <summary>haproxykafka as systemd would run it (the Release apphost built next to the race), on bench/peers/haproxykafka.yaml.</summary>
public sealed class DaemonReceiver : IRaceReceiver
{
    private readonly ForwarderProcess _daemon;

    private DaemonReceiver(ForwarderProcess daemon) => _daemon = daemon;

    public int Pid => _daemon.Pid;

    /// <summary>The histogram the p99 column comes from (bench/peers/haproxykafka.yaml sets its buckets and prefix).</summary>
    private const string LatencyHistogram = "haproxykafka_delivery_latency_seconds";

    /// <summary>Starts the daemon; <paramref name="environment"/> is added to its environment (runtime knobs to compare).</summary>
    public static async Task<DaemonReceiver> StartAsync(RaceSetting setting, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort.Next();
        var config = Path.Combine(setting.Scratch, "haproxykafka.yaml");
        await File.WriteAllTextAsync(config, setting.Render("haproxykafka.yaml", new Dictionary<string, string>
        {
            ["HOSTNAME"] = setting.Hostname,
            ["SOCKET"] = setting.SocketPath,
            ["TOPIC"] = setting.Topic,
            ["DLQ_TOPIC"] = setting.DlqTopic,
            ["BROKERS"] = setting.Brokers,
            ["MONITORING_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["PARSER_TABLE"] = setting.ParserTable,
            ["DEAD_LETTERS"] = Path.Combine(setting.Scratch, "dead-letters.jsonl"),
        }));
        return new DaemonReceiver(await ForwarderProcess.StartAsync(config, port, environment));
    }

    public async Task WaitUntilDoneAsync(long accepted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var ledger = await LedgerAsync();
            if (ledger.Received >= accepted && ledger.InFlight == 0)
            {
                return;
            }

            await Task.Delay(250);
        }
    }

    public async Task<ReceiverCounts> StopAsync()
    {
        var ledger = await LedgerAsync();
        var p99 = LatencyQuantile.Read(await _daemon.GetAsync("metrics"), LatencyHistogram, 0.99);
        await _daemon.TerminateAsync(TimeSpan.FromSeconds(30));
        return new ReceiverCounts(ledger.Received, ledger.DeadLettered, ledger.Dropped, p99);
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();

    /// <summary>The daemon's own ledger from /debug/state.</summary>
    private async Task<Ledger> LedgerAsync()
    {
        using var state = JsonDocument.Parse(await _daemon.GetAsync("debug/state"));
        var c = state.RootElement.GetProperty("counters");
        return new Ledger(c.GetProperty("received").GetInt64(), c.GetProperty("delivered").GetInt64(), c.GetProperty("dead_lettered").GetInt64(), c.GetProperty("dropped").GetInt64(), c.GetProperty("in_flight").GetInt64());
    }
}
