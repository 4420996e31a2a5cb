using System.Globalization;
using HaproxyKafka.Loopback;
using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Harness;

/// <summary>
/// The whole path on one machine, every piece real: artifacts generated from a schema, librdkafka's Kafka-protocol
/// broker, the daemon as its own process on the generated parser table, and HAProxy on the generated fragments,
/// logging to the daemon's socket. The demo prints what comes out; the end-to-end tests assert on it.
/// </summary>
public sealed class EndToEnd : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string> DefaultOriginHeaders = new Dictionary<string, string>
    {
        ["X-Cache-Status"] = "hit-front",
        ["X-Analytics"] = "ns=0;page_id=42;https=1",
        ["X-Cache"] = "cp4037 hit, cp4037 hit/7",
        ["Server"] = "mw2291.codfw.wmnet",
    };

    public const string DefaultContentType = "text/html; charset=UTF-8";

    private readonly DirectoryInfo _scratch;
    private IReadOnlyDictionary<string, string>? _rdkafka;

    private EndToEnd(DirectoryInfo scratch, LogSchema schema, MockKafkaCluster cluster)
    {
        _scratch = scratch;
        Schema = schema;
        Cluster = cluster;
    }

    public LogSchema Schema { get; }

    public string Fingerprint => HaproxyKafka.Schema.Fingerprint.Of(Schema);

    public MockKafkaCluster Cluster { get; }

    public ForwarderProcess Forwarder { get; private set; } = null!;

    public HaproxyProcess? Haproxy { get; private set; }

    public int FrontPort { get; private set; }

    public string Topic => Schema.Kafka.Clusters["text"];

    public string DlqTopic => Schema.Kafka.DlqTopic;

    public string ConfigPath => Path.Combine(_scratch.FullName, "config.yaml");

    public string SocketPath => Schema.Haproxy.Socket;

    public string DeadLetterPath => Path.Combine(_scratch.FullName, "dead-letters.jsonl");

    public string GeneratedDirectory => Path.Combine(_scratch.FullName, "generated");

    public string Scratch => _scratch.FullName;

    /// <summary>Generates, starts the broker and the daemon; HAProxy too unless <paramref name="withHaproxy"/> is false.</summary>
    /// <param name="socketActivated">Start the daemon under <c>systemd-socket-activate</c>, which holds the socket (see <see cref="ForwarderProcess.StartSocketActivatedAsync"/>).</param>
    /// <param name="editConfig">Rewrites the daemon's config text before it is written (a nested key <paramref name="extraConfig"/> cannot reach, e.g. an rdkafka property).</param>
    /// <param name="rdkafka">More <c>kafka.rdkafka</c> properties, after production's (the later of two wins).</param>
    public static async Task<EndToEnd> StartAsync(string schemaPath, bool withHaproxy = true, string extraConfig = "", IReadOnlyDictionary<string, string>? daemonEnvironment = null, bool socketActivated = false, Func<string, string>? editConfig = null, IReadOnlyDictionary<string, string>? rdkafka = null)
    {
        var scratch = Directory.CreateTempSubdirectory("haproxykafka-e2e-");
        var loaded = SchemaLoader.LoadFile(schemaPath);
        if (loaded.Schema is not { } shipped)
        {
            throw new InvalidOperationException($"{schemaPath} does not load:\n{string.Join('\n', loaded.Diagnostics)}");
        }

        // Only the socket moves (into the scratch directory); everything else is the schema as shipped.
        var schema = shipped with { Haproxy = shipped.Haproxy with { Socket = Path.Combine(scratch.FullName, "haproxykafka.sock") } };
        var run = new EndToEnd(scratch, schema, new MockKafkaCluster()) { _rdkafka = rdkafka };
        try
        {
            await run.StartPiecesAsync(withHaproxy, extraConfig, daemonEnvironment, socketActivated, editConfig ?? (text => text));
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    public async Task StartHaproxyAsync(IReadOnlyDictionary<string, string>? originHeaders = null, string contentType = DefaultContentType)
    {
        FrontPort = FreePort.Next();
        var config = Path.Combine(_scratch.FullName, "haproxy.cfg");
        await File.WriteAllTextAsync(config, LoopbackHaproxyConfig.Build(GeneratedFragments.FromDirectory(GeneratedDirectory), FrontPort, FreePort.Next(), originHeaders ?? DefaultOriginHeaders, contentType));
        Haproxy = await HaproxyProcess.StartAsync(config, FrontPort);
    }

    /// <summary>
    /// Waits until the daemon has received at least <paramref name="received"/> lines and has none in flight;
    /// returns how many it delivered. The daemon's own ledger, read from /debug/state.
    /// </summary>
    public async Task<long> WaitForQuietAsync(long received, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var counters = await CountersAsync();
            if ((counters.Received >= received && counters.InFlight == 0) || DateTime.UtcNow > deadline)
            {
                return counters.Delivered;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Starts the daemon again on the same config and monitoring port once the previous process has exited.</summary>
    public async Task RestartForwarderAsync()
    {
        var port = Forwarder.Monitoring.Port;
        await Forwarder.DisposeAsync();
        Forwarder = await ForwarderProcess.StartAsync(ConfigPath, port);
    }

    public Task<Ledger> CountersAsync() => Forwarder.CountersAsync();

    public Task<IReadOnlyList<ConsumedMessage>> ReadTopicAsync(string topic, int atLeast, TimeSpan timeout) =>
        Kcat.ReadMessagesAsync(Cluster.BootstrapServers, topic, atLeast, timeout);

    public async ValueTask DisposeAsync()
    {
        if (Haproxy is not null)
        {
            await Haproxy.DisposeAsync();
        }

        if (Forwarder is not null)
        {
            await Forwarder.DisposeAsync();
        }

        Cluster.Dispose();
        try
        {
            _scratch.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A socket file may linger for a moment; the temp directory is cleaned by the system eventually.
        }
    }

    /// <summary>The datagram that wakes a socket-activated daemon: a notice, counted as dropped (not_a_request).</summary>
    public const string WakeUpNotice = "<133>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - - Proxy wake-up started.\n";

    private async Task StartPiecesAsync(bool withHaproxy, string extraConfig, IReadOnlyDictionary<string, string>? daemonEnvironment, bool socketActivated, Func<string, string> editConfig)
    {
        var templates = TemplateSet.Load(TemplateSet.DefaultDirectory);
        foreach (var artifact in ArtifactGenerator.Render(Schema, templates))
        {
            var path = Path.Combine(GeneratedDirectory, artifact.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, artifact.Content);
        }

        foreach (var topic in Schema.Kafka.Clusters.Values.Append(DlqTopic))
        {
            Cluster.CreateTopic(topic);
        }

        var monitoringPort = FreePort.Next();
        await File.WriteAllTextAsync(ConfigPath, editConfig(ForwarderConfigText(monitoringPort, extraConfig)));
        Forwarder = socketActivated
            ? await ForwarderProcess.StartSocketActivatedAsync(ConfigPath, monitoringPort, SocketPath, System.Text.Encoding.UTF8.GetBytes(WakeUpNotice), daemonEnvironment)
            : await ForwarderProcess.StartAsync(ConfigPath, monitoringPort, daemonEnvironment);
        if (withHaproxy)
        {
            await StartHaproxyAsync();
        }
    }

    /// <summary>Production's config (reference, section 3) with the local broker, socket and monitoring port.</summary>
    private string ForwarderConfigText(int monitoringPort, string extraConfig) => string.Create(CultureInfo.InvariantCulture, $"""
        workers: 1
        message_buffer: 100.0
        sdid: {Schema.SdId}
        hostname: cp9999.demo.wmnet
        socket:
          path: {SocketPath}
          mode: '0622'
          batch_size: 102400
          batch_deadline: 1000ms
        logparser:
          batch_size: 102400
          batch_deadline: 1000ms
        kafka:
          topic: {Topic}
          dlq_topic: {DlqTopic}
          flush_timeout: 2000
          batch_size: 102400
          batch_deadline: 1000ms
          rdkafka:
            bootstrap.servers: {Cluster.BootstrapServers}
            acks: all
            compression.codec: snappy
            queue.buffering.max.messages: 720000
            queue.buffering.max.ms: 10
            batch.num.messages: 9000
            reconnect.backoff.max.ms: 500
        {string.Concat((_rdkafka ?? new Dictionary<string, string>()).Select(p => $"    {p.Key}: {p.Value}\n"))}
        monitoring:
          enable_pprof: false
          enable_prometheus: true
          server_bind: "127.0.0.1:{monitoringPort}"
          prometheus_prefix: haproxykafka_
          stall_timeout: 10s
        transform_rules:
          haproxy_format: "02/Jan/2006:15:04:05.000"
          date_format: "2006-01-02T15:04:05Z"
          date_tz: UTC
        parser_table: generated/forwarder/parser-table.json
        dead_letter_path: {DeadLetterPath}
        {extraConfig}
        """);
}

/// <summary>
/// The daemon's ledger: every received line is delivered, dead-lettered, dropped, spooled or still in flight.
/// <see cref="Spooled"/> is what the process put into its disk spool less what it replayed from it (negative when it
/// replays what a previous process spooled).
/// </summary>
public readonly record struct Ledger(long Received, long Delivered, long DeadLettered, long Dropped, long InFlight, long Spooled = 0)
{
    public bool AddsUp => Received == Delivered + DeadLettered + Dropped + Spooled + InFlight;

    /// <summary>The <c>counters</c> object of the daemon's <c>/debug/state</c>.</summary>
    public static Ledger FromDebugState(string json)
    {
        using var state = System.Text.Json.JsonDocument.Parse(json);
        var c = state.RootElement.GetProperty("counters");
        return new Ledger(c.GetProperty("received").GetInt64(), c.GetProperty("delivered").GetInt64(), c.GetProperty("dead_lettered").GetInt64(), c.GetProperty("dropped").GetInt64(), c.GetProperty("in_flight").GetInt64(), c.TryGetProperty("spooled", out var spooled) ? spooled.GetInt64() : 0);
    }
}
