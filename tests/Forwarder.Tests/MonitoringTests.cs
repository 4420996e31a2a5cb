using System.Net;
using System.Text.Json;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests;

public class MonitoringTests
{
    [Fact]
    public async Task Metrics_pass_promtool_and_carry_the_production_names()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        using (var sender = new DatagramSender(run.SocketPath))
        {
            sender.Send(Lines.Request(run.Fingerprint, 1));
        }

        await run.WaitForQuietAsync(1, TimeSpan.FromSeconds(20));
        var metrics = await run.Forwarder.GetAsync("metrics");
        var file = Path.Combine(run.Scratch, "metrics.txt");
        await File.WriteAllTextAsync(file, metrics);

        var promtool = await ExternalTool.RunAsync("sh", ["-c", $"promtool check metrics < {file}"]);

        promtool.ExitCode.Should().Be(0, promtool.ToString());
        metrics.Should().Contain("haproxykafka_valid_messages_total 1\n")
            .And.Contain("haproxykafka_socket_dropped_messages_total 0\n")
            .And.Contain("# TYPE haproxykafka_saturation_errors gauge\n")
            .And.Contain("haproxykafka_saturation_errors{channel=\"kafka-msg\"} 0\n")
            .And.Contain("haproxykafka_saturation_errors_total{channel=\"socket\"} 0\n")
            .And.Contain("haproxykafka_dead_lettered_lines_total{reason=\"invalid_timestamp\"} 0\n", "every declared reason is there from the start")
            .And.Contain("haproxykafka_delivery_latency_seconds_count 1\n")
            .And.Contain("haproxykafka_parse_duration_seconds_bucket{le=\"5e-06\"}")
            .And.Contain("haproxykafka_unix_max_dgram_qlen ")
            .And.Contain("haproxykafka_in_flight_lines 0\n")
            .And.Contain($"haproxykafka_build_info{{version=\"{typeof(Program).Assembly.GetName().Version!.ToString(3)}")
            .And.MatchRegex($"haproxykafka_build_info\\{{version=\"[^\"]+\",librdkafka=\"[0-9.]+\",schema_fingerprint=\"{run.Fingerprint}\"\\}} 1\n")
            .And.Contain("process_resident_memory_bytes ")
            .And.Contain("process_cpu_seconds_total ")
            .And.Contain("dotnet_gc_allocated_bytes_total ");
    }

    [Fact]
    public async Task Debug_state_shows_queues_and_redacts_secrets()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, extraConfig: string.Empty);
        using var state = JsonDocument.Parse(await run.Forwarder.GetAsync("debug/state"));
        var root = state.RootElement;

        root.GetProperty("healthy").GetBoolean().Should().BeTrue();
        root.GetProperty("queues").GetProperty("internal_capacity").GetInt32().Should().Be(HaproxyKafka.Forwarder.Config.SocketSettings.DefaultQueueBytes, "socket.queue_bytes, the ring's bytes");
        root.GetProperty("parser_table").GetProperty("fingerprint").GetString().Should().Be(run.Fingerprint);
        root.GetProperty("config").GetProperty("kafka").GetProperty("rdkafka").GetProperty("acks").GetString().Should().Be("all");
        HaproxyKafka.Forwarder.Config.RdkafkaSecrets.IsSecret("ssl.key.password").Should().BeTrue();
        HaproxyKafka.Forwarder.Config.RdkafkaSecrets.IsSecret("sasl.password").Should().BeTrue();
        HaproxyKafka.Forwarder.Config.RdkafkaSecrets.IsSecret("ssl.key.location").Should().BeFalse();
        using var http = new HttpClient();
        (await http.GetAsync(new Uri(run.Forwarder.Monitoring, "healthz"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_bad_config_stops_start_up_with_file_line_and_fix()
    {
        using var dir = new TempDirectory();
        var config = dir.File("config.yaml");
        await File.WriteAllTextAsync(config, "sdid: haproxykafka@0\nsocket:\n  path: /tmp/x.sock\n  mdoe: '0622'\nkafka:\n  topic: t\n  rdkafka: {bootstrap.servers: 'localhost:9092'}\nparser_table: /nonexistent.json\n");

        var result = await ExternalTool.RunAsync(ForwarderProcess.Executable, ["-c", config]);

        result.ExitCode.Should().Be(78, "EX_CONFIG, which the unit does not restart on");
        result.StdErr.Should().Contain($"{config}:4:3: error: unknown key 'socket.mdoe'; did you mean 'mode'?");
    }
}
