using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HaproxyKafka.Forwarder.Tests.E2E;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Lifecycle;

/// <summary>
/// SIGUSR2 (the unit's <c>ExecReload=</c>): the daemon starts its executable again, hands over the socket, announces
/// the new main PID on <c>$NOTIFY_SOCKET</c> (a socket the test owns stands in for systemd) and exits 0 after its
/// drain, while a sender keeps writing the way HAProxy does. The ledger is exact across both processes.
/// </summary>
public class UpgradeTests
{
    [Fact]
    public async Task An_upgrade_under_steady_load_loses_nothing_and_announces_the_new_main_pid()
    {
        using var scratch = new TempDirectory();
        using var notify = new UnixDatagramReceiver(scratch.File("notify.sock"));
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, daemonEnvironment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        (await NextAsync(notify)).Should().StartWith("READY=1");
        var old = run.Forwarder.Pid;
        int? successor = null;
        using var load = new SteadySender(run.SocketPath, run.Fingerprint);
        try
        {
            load.Start();
            await Task.Delay(500);
            Signals.Reload(old);

            var announced = await NextStartingWithAsync(notify, "MAINPID=", TimeSpan.FromSeconds(60));
            successor = int.Parse(announced.Split('\n')[0]["MAINPID=".Length..], CultureInfo.InvariantCulture);
            successor.Should().NotBe(old);
            (await run.Forwarder.WaitForExitCodeAsync(TimeSpan.FromSeconds(60))).Should().Be(0, run.Forwarder.Log);
            Signals.HasExited(successor.Value).Should().BeFalse("the new process carries on:\n" + run.Forwarder.Log);
            File.Exists(run.SocketPath).Should().BeTrue("the old process handed the socket over instead of unlinking it:\n" + run.Forwarder.Log);

            // The sender keeps going against the new process alone for a while.
            await Task.Delay(1000);
            await load.StopAsync();

            var sent = load.SentSequences;
            load.OtherErrors.Should().BeEmpty("the socket never went away (no ENOENT, no ECONNREFUSED)");
            load.Sent.Should().BePositive();
            var messages = await run.ReadTopicAsync(run.Topic, sent.Count, TimeSpan.FromSeconds(90));
            var delivered = messages.Select(m => JsonDocument.Parse(m.Value).RootElement.GetProperty("sequence").GetInt64()).ToList();
            delivered.Should().OnlyHaveUniqueItems("no line is produced twice");
            delivered.Should().BeEquivalentTo(sent, $"sent {load.Sent}, EAGAIN {load.WouldBlock}: every line the socket took is delivered by one process or the other");
            run.Forwarder.Log.Should().Contain($"handed over to process {successor}").And.Contain("ready (socket from Predecessor)");
        }
        finally
        {
            await load.StopAsync();
            await StopAsync(successor);
        }
    }

    [Fact]
    public async Task A_new_process_that_fails_leaves_the_old_one_running_and_counted_and_a_later_upgrade_succeeds()
    {
        using var scratch = new TempDirectory();
        using var notify = new UnixDatagramReceiver(scratch.File("notify.sock"));
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, daemonEnvironment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        (await NextAsync(notify)).Should().StartWith("READY=1");
        var good = File.ReadAllText(run.ConfigPath);
        File.WriteAllText(run.ConfigPath, good.Replace("workers: 1", "workers: 0", StringComparison.Ordinal));
        int? successor = null;
        try
        {
            Signals.Reload(run.Forwarder.Pid);

            (await LogShowsAsync(run.Forwarder, "upgrade failed", TimeSpan.FromSeconds(60))).Should().BeTrue(run.Forwarder.Log);
            run.Forwarder.Log.Should().MatchRegex(@"upgrade failed, this process keeps running: the new process \d+ failed: it exited with code 78 before it was ready");
            (await run.Forwarder.GetAsync("metrics")).Should().Contain("haproxykafka_upgrades_total{result=\"failed\"} 1\n").And.Contain("haproxykafka_upgrades_total{result=\"succeeded\"} 0\n");
            using (var sender = new DatagramSender(run.SocketPath))
            {
                sender.Send(Lines.Request(run.Fingerprint, 1));
            }

            (await run.WaitForQuietAsync(1, TimeSpan.FromSeconds(60))).Should().Be(1, "the old process still receives and delivers");
            run.Forwarder.HasExited.Should().BeFalse();

            File.WriteAllText(run.ConfigPath, good);
            Signals.Reload(run.Forwarder.Pid);
            var announced = await NextStartingWithAsync(notify, "MAINPID=", TimeSpan.FromSeconds(60));
            successor = int.Parse(announced.Split('\n')[0]["MAINPID=".Length..], CultureInfo.InvariantCulture);
            (await run.Forwarder.WaitForExitCodeAsync(TimeSpan.FromSeconds(60))).Should().Be(0, run.Forwarder.Log);
            await StopAsync(successor);
            File.Exists(run.SocketPath).Should().BeFalse("the successor owns the file its predecessor bound and removes it when it stops for good");
        }
        finally
        {
            await StopAsync(successor);
        }
    }

    [Fact]
    public async Task An_upgrade_of_a_socket_activated_daemon_leaves_systemds_socket_file_to_systemd()
    {
        using var scratch = new TempDirectory();
        using var notify = new UnixDatagramReceiver(scratch.File("notify.sock"));
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, daemonEnvironment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path }, socketActivated: true);
        int? successor = null;
        try
        {
            Signals.Reload(run.Forwarder.Pid);
            var announced = await NextStartingWithAsync(notify, "MAINPID=", TimeSpan.FromSeconds(60));
            successor = int.Parse(announced.Split('\n')[0]["MAINPID=".Length..], CultureInfo.InvariantCulture);
            (await run.Forwarder.WaitForExitCodeAsync(TimeSpan.FromSeconds(60))).Should().Be(0, run.Forwarder.Log);
            using (var sender = new DatagramSender(run.SocketPath))
            {
                sender.Send(Lines.Request(run.Fingerprint, 7));
            }

            (await run.ReadTopicAsync(run.Topic, 1, TimeSpan.FromSeconds(60))).Should().ContainSingle("the successor reads the socket systemd passed to its predecessor");
            await StopAsync(successor);
            Signals.HasExited(successor.Value).Should().BeTrue();
            File.Exists(run.SocketPath).Should().BeTrue("neither process unlinks a socket that came from systemd:\n" + run.Forwarder.Log);
        }
        finally
        {
            await StopAsync(successor);
        }
    }

    private static async Task StopAsync(int? pid)
    {
        if (pid is not { } p || Signals.HasExited(p))
        {
            return;
        }

        Signals.Terminate(p);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Signals.HasExited(p) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    private static async Task<bool> LogShowsAsync(ForwarderProcess forwarder, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (forwarder.Log.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static async Task<string> NextAsync(UnixDatagramReceiver notify) =>
        Encoding.UTF8.GetString(await notify.ReceiveAsync(TimeSpan.FromSeconds(60)));

    private static async Task<string> NextStartingWithAsync(UnixDatagramReceiver notify, string prefix, TimeSpan timeout) =>
        Encoding.UTF8.GetString(await notify.ReceiveMatchingAsync(d => Encoding.UTF8.GetString(d).StartsWith(prefix, StringComparison.Ordinal), timeout));

    /// <summary>
    /// Writes numbered request lines at a steady rate the way HAProxy does (non-blocking; EAGAIN is a line it drops
    /// and counts), remembering exactly which lines the socket took.
    /// </summary>
    private sealed class SteadySender(string path, string fingerprint) : IDisposable
    {
        private readonly DatagramSender _sender = new(path);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<long> _sent = [];
        private readonly ConcurrentBag<SocketError> _errors = [];
        private Task _loop = Task.CompletedTask;

        public IReadOnlyList<long> SentSequences => _sent;

        public long Sent => _sender.Sent;

        public long WouldBlock => _sender.WouldBlock;

        public IReadOnlyCollection<SocketError> OtherErrors => _errors;

        public void Start() => _loop = Task.Run(Run);

        public async Task StopAsync()
        {
            _stop.Cancel();
            await _loop;
        }

        public void Dispose()
        {
            _stop.Dispose();
            _sender.Dispose();
        }

        private void Run()
        {
            // About 1000 lines/s: steady, and small enough for the mock broker's 5 MiB partition.
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                try
                {
                    if (_sender.TrySend(Encoding.UTF8.GetBytes(Lines.Request(fingerprint, i))))
                    {
                        _sent.Add(i);
                    }
                }
                catch (SocketException e)
                {
                    _errors.Add(e.SocketErrorCode);
                }

                Thread.Sleep(1);
            }
        }
    }
}
