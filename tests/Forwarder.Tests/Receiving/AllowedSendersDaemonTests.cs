using System.Globalization;
using HaproxyKafka.Contract;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>
/// The daemon as systemd runs it (<c>systemd-socket-activate</c> holds the socket, so the daemon switches
/// <c>SO_PASSCRED</c> on a socket it did not create), with <c>socket.allowed_uids: [root]</c> and librdkafka secrets in
/// its config: root's request is delivered, nobody's datagram is counted in the ledger as refused (and so is the
/// wake-up datagram queued before the daemon asked for credentials), and neither secret
/// appears in the log, <c>/debug/state</c> or the dead-letter file.
/// </summary>
public sealed class AllowedSendersDaemonTests : IDisposable
{
    private const string SaslSecret = "sasl-s3cret-7f1d";
    private const string KeySecret = "key-s3cret-92ab";
    private const string Topic = "webrequest_frontend_text";

    private readonly TempDirectory _scratch = new();

    [Fact]
    public async Task A_socket_activated_daemon_maps_only_allowed_senders_and_keeps_its_secrets()
    {
        // nobody must reach the socket systemd-socket-activate creates here.
        File.SetUnixFileMode(_scratch.Path, (UnixFileMode)Convert.ToInt32("711", 8));
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic(Topic);
        var tablePath = Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json");
        var fingerprint = ParserTableLoader.Load(tablePath).Fingerprint;
        var socket = _scratch.File("haproxykafka.sock");
        var port = FreePort.Next();
        var config = _scratch.File("config.yaml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            workers: 1
            sdid: haproxykafka@0
            socket:
              path: {socket}
              mode: '0620'
              allowed_uids: [root]
            kafka:
              topic: {Topic}
              dlq_topic: ''
              flush_timeout: 2000
              rdkafka:
                bootstrap.servers: {cluster.BootstrapServers}
                queue.buffering.max.ms: 10
                sasl.password: {SaslSecret}
                ssl.key.password: {KeySecret}
            monitoring:
              server_bind: "127.0.0.1:{port}"
              prometheus_prefix: haproxykafka_
            parser_table: {tablePath}
            dead_letter_path: {_scratch.File("dead-letters.jsonl")}
            """));

        await using var daemon = await ForwarderProcess.StartSocketActivatedAsync(config, port, socket, System.Text.Encoding.UTF8.GetBytes(EndToEnd.WakeUpNotice));
        File.SetUnixFileMode(socket, (UnixFileMode)Convert.ToInt32("666", 8));
        using (var root = new DatagramSender(socket))
        {
            root.Send(Lines.Request(fingerprint, 1));
            root.Send(Lines.Request("0000000000000000", 2));
        }

        await NobodySender.SendAsync(socket, Lines.Request(fingerprint, 3));
        var ledger = await WaitForLedgerAsync(daemon, received: 4);
        var state = await daemon.GetAsync("debug/state");
        var metrics = await daemon.GetAsync("metrics");
        var exit = await daemon.TerminateAsync(TimeSpan.FromSeconds(60));

        exit.Should().Be(0, daemon.Log);
        ledger.Should().Be(new Ledger(Received: 4, Delivered: 1, DeadLettered: 1, Dropped: 2, InFlight: 0), "nobody's line and the wake-up are refused, the foreign fingerprint dead-lettered");

        // systemd-socket-activate cannot set PassCredentials=, so the wake-up, queued before the daemon switched
        // SO_PASSCRED on, carries no sender: the kernel reports uid 65534 and pid 0, and it is refused like nobody's line.
        metrics.Should().Contain("haproxykafka_dropped_lines_total{reason=\"sender_not_allowed\"} 2").And.Contain("haproxykafka_dropped_lines_total{reason=\"not_a_request\"} 0");
        daemon.Log.Should().Contain($"the latest from uid {NobodySender.Uid} with pid 0: a sender in another pid namespace, or a datagram queued before the socket had SO_PASSCRED");
        (await Kcat.ReadAllAsync(cluster.BootstrapServers, Topic)).Should().ContainSingle().Which.Should().Contain("/wiki/Line_1");

        var deadLetters = await File.ReadAllTextAsync(_scratch.File("dead-letters.jsonl"));
        deadLetters.Should().Contain("0000000000000000", "the foreign line was dead-lettered to the file");
        using (var shown = System.Text.Json.JsonDocument.Parse(state))
        {
            var rdkafka = shown.RootElement.GetProperty("config").GetProperty("kafka").GetProperty("rdkafka");
            rdkafka.GetProperty("sasl.password").GetString().Should().Be("<redacted>");
            rdkafka.GetProperty("ssl.key.password").GetString().Should().Be("<redacted>");
        }

        foreach (var (what, text) in new[] { ("the log", daemon.Log), ("/debug/state", state), ("/metrics", metrics), ("the dead-letter file", deadLetters) })
        {
            text.Should().NotContain(SaslSecret, what).And.NotContain(KeySecret, what);
        }
    }

    public void Dispose() => _scratch.Dispose();

    private static async Task<Ledger> WaitForLedgerAsync(ForwarderProcess daemon, long received)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var ledger = Ledger.FromDebugState(await daemon.GetAsync("debug/state"));
            if ((ledger.Received >= received && ledger.InFlight == 0) || DateTime.UtcNow > deadline)
            {
                return ledger;
            }

            await Task.Delay(100);
        }
    }
}
