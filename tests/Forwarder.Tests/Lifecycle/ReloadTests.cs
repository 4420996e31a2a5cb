using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using HaproxyKafka.Contract;
using HaproxyKafka.Harness;
using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Lifecycle;

/// <summary>
/// SIGHUP reloads the config and parser table in place: the real daemon process, HAProxy-shaped lines on its socket,
/// librdkafka's mock broker read back with kcat. Waits are for states the daemon reports (/debug/state), never for
/// a time.
/// </summary>
public class ReloadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_reload_under_load_puts_another_schemas_table_in_place_and_loses_nothing()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        var before = run.Fingerprint;

        // Another schema: the first param moved to the end (a layout change, so a new fingerprint) and user_agent
        // written under another JSON key (so which table mapped a line shows in its message).
        var fields = run.Schema.Fields;
        var nextSchema = run.Schema with
        {
            Fields = [.. fields.Skip(1).Append(fields[0]).Select(f => f.SdParam == "user_agent" ? f with { JsonKey = "agent" } : f)],
        };
        var after = Fingerprint.Of(nextSchema);
        after.Should().NotBe(before);
        await File.WriteAllTextAsync(Path.Combine(run.Scratch, "parser-table-next.json"), ParserTableWriter.Write(ParserTableBuilder.Build(nextSchema)));

        using var load = new SwitchingSender(run.SocketPath, before);
        load.Start();
        await WaitUntilAsync(async () => (await run.CountersAsync()).Delivered >= 100, "lines delivered with the first table", run);

        // The rollout: the new table, with the old fingerprint accepted while HAProxy hosts still write it.
        var config = await File.ReadAllTextAsync(run.ConfigPath);
        await File.WriteAllTextAsync(run.ConfigPath, config.Replace("parser_table: generated/forwarder/parser-table.json",
            $"parser_table: parser-table-next.json\naccepted_fingerprints: ['{before}']", StringComparison.Ordinal));
        Signals.Hangup(run.Forwarder.Pid);
        var reload = await LastReloadAsync(run, 1);
        reload["result"]!.GetValue<string>().Should().Be("success", reload.ToJsonString());

        // HAProxy now writes the new layout.
        var switchedAt = load.SwitchTo(after);
        await WaitUntilAsync(() => Task.FromResult(load.Sent >= switchedAt + 100), "lines sent with the new fingerprint", run);
        await load.StopAsync();

        load.OtherErrors.Should().BeEmpty();
        var sent = load.Taken;
        var messages = await run.ReadTopicAsync(run.Topic, sent.Count, Patience);
        var bySequence = messages.Select(m => JsonNode.Parse(m.Value)!.AsObject()).ToDictionary(m => m["sequence"]!.GetValue<long>());
        bySequence.Keys.Should().BeEquivalentTo(sent.Keys, $"every line the socket took is delivered once (sent {load.Sent}, EAGAIN {load.WouldBlock})");
        foreach (var (sequence, fingerprint) in sent)
        {
            var message = bySequence[sequence];
            (message.ContainsKey("agent") ^ message.ContainsKey("user_agent")).Should().BeTrue($"line {sequence} is mapped whole by one table: {message.ToJsonString()}");
            if (fingerprint == after)
            {
                message.ContainsKey("agent").Should().BeTrue($"line {sequence} carries the new fingerprint, which only the new table maps");
            }
        }

        bySequence[sent.Keys.Min()].ContainsKey("user_agent").Should().BeTrue("lines before the reload were mapped with the first table");
        (await run.WaitForQuietAsync(sent.Count, Patience)).Should().Be(sent.Count);
        var ledger = await run.CountersAsync();
        ledger.Should().Be(new Ledger(sent.Count, sent.Count, 0, 0, 0), "nothing dead-lettered or dropped across the reload");

        var state = JsonNode.Parse(await run.Forwarder.GetAsync("debug/state"))!;
        state["parser_table"]!["fingerprint"]!.GetValue<string>().Should().Be(after);
        state["config"]!["accepted_fingerprints"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal(before);
        var metrics = await run.Forwarder.GetAsync("metrics");
        metrics.Should().Contain("haproxykafka_config_reloads_total{result=\"success\"} 1\n")
            .And.Contain("haproxykafka_config_reloads_total{result=\"failure\"} 0\n")
            .And.Contain("haproxykafka_config_last_reload_successful 1\n")
            .And.Contain($"schema_fingerprint=\"{after}\"}} 1\n")
            .And.NotContain($"schema_fingerprint=\"{before}\"", "build_info names the table that runs, only");
        run.Forwarder.Log.Should().Contain($"parser table {Path.Combine(run.Scratch, "parser-table-next.json")} ({after}, was {before})");
    }

    [Fact]
    public async Task A_broken_table_or_config_keeps_the_last_good_one_running_says_why_and_is_counted()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        var good = await File.ReadAllTextAsync(run.ConfigPath);

        // A parser table cut short, as a half-finished copy leaves it.
        var cut = Path.Combine(run.Scratch, "cut-table.json");
        var table = await File.ReadAllTextAsync(Path.Combine(run.GeneratedDirectory, "forwarder", "parser-table.json"));
        await File.WriteAllTextAsync(cut, table[..(table.Length / 2)]);
        await File.WriteAllTextAsync(run.ConfigPath, good.Replace("parser_table: generated/forwarder/parser-table.json", "parser_table: cut-table.json", StringComparison.Ordinal));
        Signals.Hangup(run.Forwarder.Pid);
        var first = await LastReloadAsync(run, 1);
        first["result"]!.GetValue<string>().Should().Be("failure");
        first["fingerprint"]!.GetValue<string>().Should().Be(run.Fingerprint);
        first["errors"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Contain(e => e.StartsWith(cut + ":", StringComparison.Ordinal) && e.Contains("not valid JSON", StringComparison.Ordinal));
        run.Forwarder.Log.Should().Contain($"reload: {cut}:").And.Contain($"still running the last good config and parser table {run.Fingerprint}");

        // A config with a wrong value: the finding names the file and line.
        await File.WriteAllTextAsync(run.ConfigPath, good.Replace("workers: 1", "workers: many", StringComparison.Ordinal));
        Signals.Hangup(run.Forwarder.Pid);
        var second = await LastReloadAsync(run, 2);
        second["result"]!.GetValue<string>().Should().Be("failure");
        second["errors"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Contain(e => e.StartsWith(run.ConfigPath + ":1:", StringComparison.Ordinal) && e.Contains("workers", StringComparison.Ordinal));

        // YAML that does not parse.
        await File.WriteAllTextAsync(run.ConfigPath, good.Replace("hostname: cp9999.demo.wmnet", "hostname: [cp9999.demo.wmnet", StringComparison.Ordinal));
        Signals.Hangup(run.Forwarder.Pid);
        var third = await LastReloadAsync(run, 3);
        third["result"]!.GetValue<string>().Should().Be("failure");
        third["errors"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Contain(e => e.StartsWith(run.ConfigPath + ":", StringComparison.Ordinal) && e.Contains("YAML syntax", StringComparison.Ordinal));

        var metrics = await run.Forwarder.GetAsync("metrics");
        metrics.Should().Contain("haproxykafka_config_reloads_total{result=\"failure\"} 3\n")
            .And.Contain("haproxykafka_config_reloads_total{result=\"success\"} 0\n")
            .And.Contain("haproxykafka_config_last_reload_successful 0\n");

        // Still running, on the table it started with.
        using (var sender = new DatagramSender(run.SocketPath))
        {
            sender.Send(Lines.Request(run.Fingerprint, 1));
        }

        (await run.WaitForQuietAsync(1, Patience)).Should().Be(1, "the old table still maps and delivers:\n" + run.Forwarder.Log);
        run.Forwarder.HasExited.Should().BeFalse();

        // Fixed: the next reload succeeds.
        await File.WriteAllTextAsync(run.ConfigPath, good);
        Signals.Hangup(run.Forwarder.Pid);
        (await LastReloadAsync(run, 4))["result"]!.GetValue<string>().Should().Be("success");
        (await run.Forwarder.GetAsync("metrics")).Should().Contain("haproxykafka_config_last_reload_successful 1\n");
    }

    [Fact]
    public async Task A_changed_socket_path_is_named_as_needing_a_restart_while_the_rest_is_applied()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        var elsewhere = Path.Combine(run.Scratch, "elsewhere.sock");
        var config = await File.ReadAllTextAsync(run.ConfigPath);
        await File.WriteAllTextAsync(run.ConfigPath, config.Replace($"path: {run.SocketPath}", $"path: {elsewhere}", StringComparison.Ordinal)
            + "\naccepted_fingerprints: ['0123456789abcdef']\n");
        Signals.Hangup(run.Forwarder.Pid);

        var reload = await LastReloadAsync(run, 1);
        reload["result"]!.GetValue<string>().Should().Be("success", "what can change in place is applied");
        reload["restart_required"]!.AsArray().Select(k => k!.GetValue<string>()).Should().Equal("socket.path");
        run.Forwarder.Log.Should().Contain($"'socket.path' changed in {run.ConfigPath} but needs a restart");
        var metrics = await run.Forwarder.GetAsync("metrics");
        metrics.Should().Contain("haproxykafka_config_reload_restart_required_total{key=\"socket.path\"} 1\n")
            .And.Contain("haproxykafka_config_reload_restart_required_total{key=\"kafka.topic\"} 0\n");

        var state = JsonNode.Parse(await run.Forwarder.GetAsync("debug/state"))!;
        state["config"]!["socket"]!["path"]!.GetValue<string>().Should().Be(run.SocketPath, "the socket in use stays");
        state["config"]!["accepted_fingerprints"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("0123456789abcdef");
        File.Exists(elsewhere).Should().BeFalse("nothing was bound at the new path");

        // The newly accepted fingerprint maps, on the socket that was never touched.
        using (var sender = new DatagramSender(run.SocketPath))
        {
            sender.Send(Lines.Request("0123456789abcdef", 5));
        }

        (await run.WaitForQuietAsync(1, Patience)).Should().Be(1, run.Forwarder.Log);
        (await run.CountersAsync()).DeadLettered.Should().Be(0);
    }

    /// <summary>/debug/state's last_reload once the daemon's reload count reaches <paramref name="reloads"/>.</summary>
    private static async Task<JsonNode> LastReloadAsync(EndToEnd run, int reloads)
    {
        JsonNode? last = null;
        await WaitUntilAsync(async () =>
        {
            var metrics = await run.Forwarder.GetAsync("metrics");
            if (Count(metrics, "success") + Count(metrics, "failure") < reloads)
            {
                return false;
            }

            last = JsonNode.Parse(await run.Forwarder.GetAsync("debug/state"))!["last_reload"];
            return last is not null;
        }, $"reload {reloads} reported", run);
        return last!;

        static int Count(string metrics, string result)
        {
            var prefix = $"haproxykafka_config_reloads_total{{result=\"{result}\"}} ";
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return line is null ? 0 : int.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, EndToEnd run)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || run.Forwarder.HasExited)
            {
                throw new TimeoutException($"{what}: not reached\n{run.Forwarder.Log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Writes numbered request lines steadily the way HAProxy does (non-blocking; EAGAIN is a line it drops), with the
    /// fingerprint of the config HAProxy runs, which <see cref="SwitchTo"/> changes; remembers which lines the socket
    /// took and with which fingerprint.
    /// </summary>
    private sealed class SwitchingSender(string path, string fingerprint) : IDisposable
    {
        private readonly DatagramSender _sender = new(path);
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentDictionary<long, string> _taken = new();
        private readonly ConcurrentBag<System.Net.Sockets.SocketError> _errors = [];
        private volatile string _fingerprint = fingerprint;
        private long _sent;
        private Task _loop = Task.CompletedTask;

        public IReadOnlyDictionary<long, string> Taken => _taken;

        public long Sent => Interlocked.Read(ref _sent);

        public long WouldBlock => _sender.WouldBlock;

        public IReadOnlyCollection<System.Net.Sockets.SocketError> OtherErrors => _errors;

        public void Start() => _loop = Task.Run(Run);

        /// <summary>Lines from here on carry <paramref name="next"/>; returns how many were sent before.</summary>
        public long SwitchTo(string next)
        {
            _fingerprint = next;
            return Sent;
        }

        public async Task StopAsync()
        {
            _stop.Cancel();
            await _loop;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
            _stop.Dispose();
            _sender.Dispose();
        }

        private void Run()
        {
            // About 1000 lines/s: steady, and small enough for the mock broker's 5 MiB partition.
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                var stamped = _fingerprint;
                try
                {
                    if (_sender.TrySend(Encoding.UTF8.GetBytes(Lines.Request(stamped, i))))
                    {
                        _taken[i] = stamped;
                        Interlocked.Increment(ref _sent);
                    }
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    _errors.Add(e.SocketErrorCode);
                }

                Thread.Sleep(1);
            }
        }
    }
}
