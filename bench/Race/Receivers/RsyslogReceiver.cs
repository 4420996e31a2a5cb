using System.Text.Json;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.Race.Measuring;

namespace HaproxyKafka.Race.Receivers;

/// <summary>
/// rsyslogd in the foreground on bench/peers/rsyslog-omkafka.conf with its own pid file, work directory and stats file
/// in the run's scratch directory: the system's rsyslog and its config are never touched. Its ledger comes from
/// impstats: imuxsock's <c>submitted</c> (received), omkafka's <c>failures</c>, the main queue's discards.
/// </summary>
public sealed class RsyslogReceiver : IRaceReceiver
{
    private readonly LoggedProcess _process;
    private readonly RaceSetting _setting;
    private readonly string _stats;

    private RsyslogReceiver(LoggedProcess process, RaceSetting setting, string stats)
    {
        _process = process;
        _setting = setting;
        _stats = stats;
    }

    public int Pid => _process.Id;

    public static async Task<RsyslogReceiver> StartAsync(RaceSetting setting)
    {
        var work = Directory.CreateDirectory(Path.Combine(setting.Scratch, "rsyslog")).FullName;
        var stats = Path.Combine(work, "impstats.json");
        var config = Path.Combine(work, "rsyslog.conf");
        await File.WriteAllTextAsync(config, setting.Render("rsyslog-omkafka.conf", new Dictionary<string, string>
        {
            ["WORKDIR"] = work,
            ["STATS"] = stats,
            ["SOCKET"] = setting.SocketPath,
            ["MONTHS"] = Path.Combine(setting.PeersDirectory, "rsyslog-months.json"),
            ["HOSTNAME"] = setting.Hostname,
            ["BROKERS"] = setting.Brokers,
            ["TOPIC"] = setting.Topic,
        }));
        var process = LoggedProcess.Start(ToolPath.Locate("rsyslogd"), ["-n", "-f", config, "-i", Path.Combine(work, "rsyslogd.pid")]);
        var receiver = new RsyslogReceiver(process, setting, stats);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(setting.SocketPath))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await receiver.DisposeAsync();
                throw new InvalidOperationException($"rsyslogd did not create {setting.SocketPath}:\n{process.Log}");
            }

            await Task.Delay(50);
        }

        return receiver;
    }

    /// <summary>Done when the broker holds every accepted line, or nothing new arrived there for three seconds.</summary>
    public async Task WaitUntilDoneAsync(long accepted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long last = -1;
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            var offset = await BrokerTopic.EndOffsetAsync(_setting.Brokers, _setting.Topic, 1);
            if (offset >= accepted)
            {
                return;
            }

            if (offset != last)
            {
                last = offset;
                since = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - since > TimeSpan.FromSeconds(3))
            {
                return;
            }

            await Task.Delay(500);
        }
    }

    public async Task<ReceiverCounts> StopAsync()
    {
        // impstats writes every second; let the last interval land before stopping.
        await Task.Delay(1200);
        var counts = Ledger();
        Signals.Terminate(_process.Id);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return counts;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private ReceiverCounts Ledger()
    {
        long? received = null, failures = null, discarded = null;
        if (!File.Exists(_stats))
        {
            return new ReceiverCounts(null, null, null);
        }

        foreach (var line in File.ReadLines(_stats))
        {
            var at = line.IndexOf('{', StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            using var record = JsonDocument.Parse(line[at..]);
            var root = record.RootElement;
            switch (root.GetProperty("name").GetString())
            {
                case "imuxsock":
                    received = Number(root, "submitted");
                    break;
                case "omkafka":
                    failures = Number(root, "failures");
                    break;
                case "main Q":
                    discarded = Number(root, "discarded.full") + Number(root, "discarded.nf");
                    break;
            }
        }

        return new ReceiverCounts(received, failures, discarded);
    }

    private static long Number(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
