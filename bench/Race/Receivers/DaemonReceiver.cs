using System.Globalization;
using System.Text.Json;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;

namespace HaproxyKafka.Race.Receivers;

/// <summary>haproxykafka as systemd would run it (the Release apphost built next to the race), on bench/peers/haproxykafka.yaml.</summary>
public sealed class DaemonReceiver : IRaceReceiver
{
    private readonly ForwarderProcess _daemon;

    private DaemonReceiver(ForwarderProcess daemon) => _daemon = daemon;

    public int Pid => _daemon.Pid;

    public static async Task<DaemonReceiver> StartAsync(RaceSetting setting)
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
        return new DaemonReceiver(await ForwarderProcess.StartAsync(config, port));
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
        await _daemon.TerminateAsync(TimeSpan.FromSeconds(30));
        return new ReceiverCounts(ledger.Received, ledger.DeadLettered, ledger.Dropped);
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
