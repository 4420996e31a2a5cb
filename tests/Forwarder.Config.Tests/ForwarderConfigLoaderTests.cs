using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Contract;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Config.Tests;

public class ForwarderConfigLoaderTests
{
    private static readonly ParserTable ShippedTable = ParserTableLoader.Load(Path.Combine(RepoPaths.Root, "generated", "forwarder", "parser-table.json"));

    /// <summary>What Wikimedia's Puppet renders today (reference, section 3), plus parser_table.</summary>
    public const string Production = """
        workers: 2
        message_buffer: 100.0
        sdid: haproxykafka@0
        hostname: cp3050.esams.wmnet
        socket:
          path: /var/run/haproxykafka/haproxykafka.sock
          mode: '0622'
          user: haproxykafka
          group: haproxykafka
          batch_size: 102400
          batch_deadline: 1000ms
        logparser:
          batch_size: 102400
          batch_deadline: 1000ms
        kafka:
          topic: webrequest_frontend_text
          dlq_topic: webrequest_errors
          flush_timeout: 1000
          batch_size: 102400
          batch_deadline: 1000ms
          rdkafka:
            bootstrap.servers: kafka-jumbo1007.eqiad.wmnet:9093,kafka-jumbo1008.eqiad.wmnet:9093
            security.protocol: SSL
            ssl.ca.location: /etc/ssl/certs/wmf-ca-certificates.crt
            ssl.key.location: /etc/haproxykafka/ssl/haproxykafka.key
            ssl.certificate.location: /etc/haproxykafka/ssl/haproxykafka.crt
            ssl.key.password: hunter2
            acks: all
            topic.request.required.acks: 1
            client.id: cp3050.esams.wmnet
            compression.codec: snappy
            queue.buffering.max.messages: 720000
            queue.buffering.max.ms: 1000
            batch.num.messages: 9000
        monitoring:
          enable_pprof: true
          enable_prometheus: true
          server_bind: ":9341"
          prometheus_prefix: haproxykafka_
          prometheus_parsing_buckets: [5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3]
          prometheus_processing_buckets: [1e-6, 5e-6, 1e-5, 2e-5, 3e-5, 5e-5, 1e-4, 5e-4, 1e-3]
        transform_rules:
          haproxy_format: "02/Jan/2006:15:04:05.000"
          date_format: "2006-01-02T15:04:05Z"
          date_tz: UTC
        parser_table: /etc/haproxykafka/parser-table.json
        """;

    [Fact]
    public void Production_config_plus_parser_table_loads_with_only_the_alias_warning()
    {
        var result = ForwarderConfigLoader.Load(Production, "config.yaml");

        result.Config.Should().NotBeNull(string.Join('\n', result.Diagnostics));
        var config = result.Config!;
        config.Workers.Should().Be(2);
        config.Socket.Mode.Should().Be((UnixFileMode)Convert.ToInt32("622", 8));
        config.Kafka.FlushTimeout.Should().Be(TimeSpan.FromSeconds(1));
        config.Kafka.Rdkafka.Select(p => p.Name).Should().StartWith(["bootstrap.servers", "security.protocol"]);
        config.Monitoring.ParsingBuckets.Should().Equal(5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3);
        result.Diagnostics.Should().ContainSingle().Which.ToString().Should().Be(
            "config.yaml:29:5: warning: kafka.rdkafka sets 'request.required.acks' 2 times: 'acks: all' (line 28), 'topic.request.required.acks: 1' (line 29); " +
            "librdkafka applies them in order, so the effective value is '1'; keep exactly one of 'acks', 'topic.request.required.acks'");
    }

    [Fact]
    public void The_tap_socket_sits_beside_the_datagram_socket_unless_set_or_switched_off()
    {
        var config = ForwarderConfigLoader.Load(Production, "config.yaml").Config!;
        config.Monitoring.TapSocket(config.Socket.Path).Should().Be(Path.Combine(Path.GetDirectoryName(config.Socket.Path)!, "tap.sock"));

        var set = ForwarderConfigLoader.Load(Production.Replace("  server_bind: \":9341\"", "  server_bind: \":9341\"\n  tap_socket: /run/x/tap.sock", StringComparison.Ordinal), "config.yaml").Config!;
        set.Monitoring.TapSocket(set.Socket.Path).Should().Be("/run/x/tap.sock");

        var off = ForwarderConfigLoader.Load(Production.Replace("  server_bind: \":9341\"", "  server_bind: \":9341\"\n  tap_socket: ''", StringComparison.Ordinal), "config.yaml").Config!;
        off.Monitoring.TapSocket(off.Socket.Path).Should().BeEmpty();
    }

    [Fact]
    public void The_drop_in_setting_is_off_by_default_and_warns_at_its_line_when_on()
    {
        ForwarderConfigLoader.Load(Production, "config.yaml").Config!.MapLinesWithoutFingerprint.Should().BeFalse();

        var result = ForwarderConfigLoader.Load(Production + "\nmap_lines_without_fingerprint: true\n", "config.yaml");

        result.Config!.MapLinesWithoutFingerprint.Should().BeTrue();
        result.Diagnostics.Select(d => d.ToString()).Should().Contain(
            "config.yaml:47:1: warning: 'map_lines_without_fingerprint' is on: lines without a fingerprint param are mapped by param name, unchecked against the schema; " +
            "switch it off once every HAProxy runs the generated log-format-sd (lines_without_fingerprint_total stays 0)");
    }

    [Fact]
    public void Socket_queue_bytes_defaults_to_16_MiB_and_is_read_in_bytes()
    {
        ForwarderConfigLoader.Load(Production, "config.yaml").Config!.Socket.QueueBytes.Should().Be(16 << 20);

        var text = Production.Replace("  batch_deadline: 1000ms\nlogparser:", "  batch_deadline: 1000ms\n  queue_bytes: 33554432\nlogparser:", StringComparison.Ordinal);
        var result = ForwarderConfigLoader.Load(text, "config.yaml");

        result.Config!.Socket.QueueBytes.Should().Be(32 << 20);
        result.Config.Socket.BatchSize.Should().Be(102400, "batch_size is still accepted, with no effect");
    }

    [Theory]
    [InlineData("workers: 2", "workerz: 2", "config.yaml:1:1: error: unknown key 'workerz'; did you mean 'workers'?")]
    [InlineData("workers: 2", "workers: 500", "config.yaml:1:1: error: 'workers' is 500, outside 1..192; write a value between 1 and 192")]
    [InlineData("  batch_deadline: 1000ms\nlogparser:", "  batch_deadline: 1000ms\n  queue_bytes: 4096\nlogparser:", "config.yaml:12:3: error: 'socket.queue_bytes' is 4096, outside 1048576..1073741824; write a value between 1048576 and 1073741824")]
    [InlineData("  mode: '0622'", "  mode: rw-r--r--", "config.yaml:7:3: error: 'socket.mode' is 'rw-r--r--', not an octal file mode; write it quoted, e.g. mode: '0622' (HAProxy writes as 'other')")]
    [InlineData("  flush_timeout: 1000", "  flush_timeout: 50", "config.yaml:18:3: error: 'kafka.flush_timeout' is 50, outside 100..10000; write a value between 100 and 10000")]
    [InlineData("  batch_deadline: 1000ms\nlogparser", "  batch_deadline: soon\nlogparser", "config.yaml:11:3: error: 'socket.batch_deadline' is 'soon', not a duration; write a number with a unit, e.g. 'batch_deadline: 1000ms' or 'batch_deadline: 30s'")]
    [InlineData("  server_bind: \":9341\"", "  server_bind: \"9341\"", "config.yaml:38:3: error: 'monitoring.server_bind' is '9341', not HOST:PORT; write ':9341' (all addresses) or '127.0.0.1:9341'")]
    [InlineData("  server_bind: \":9341\"", "  server_bind: \":9341\"\n  tap_socket: run/tap.sock", "config.yaml:39:3: error: 'monitoring.tap_socket' is 'run/tap.sock', not an absolute path; write an absolute path such as '/run/haproxykafka/tap.sock', or '' to switch the tap off")]
    [InlineData("  date_tz: UTC", "  date_tz: Europe/Amsterdam", "config.yaml:45:3: error: 'transform_rules.date_tz' is 'Europe/Amsterdam'; only 'UTC' is supported (dt is always written in UTC); write 'date_tz: \"UTC\"' or remove the key")]
    [InlineData("parser_table: /etc/haproxykafka/parser-table.json", "", "config.yaml:1:1: error: 'parser_table' is missing; add 'parser_table: /etc/haproxykafka/parser-table.json'")]
    public void A_mistake_names_the_file_line_and_fix(string original, string replacement, string expected)
    {
        var text = Production.Replace(original, replacement, StringComparison.Ordinal);
        text.Should().NotBe(Production, "the test must change something");

        var result = ForwarderConfigLoader.Load(text, "config.yaml");

        result.Config.Should().BeNull();
        result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).Should().Contain(expected);
    }

    [Fact]
    public void A_bracket_left_open_to_the_end_of_the_file_is_a_syntax_error_not_a_crash()
    {
        var text = Production.Replace("sdid: haproxykafka@0", "sdid: [haproxykafka@0", StringComparison.Ordinal);

        var result = ForwarderConfigLoader.Load(text, "config.yaml");

        result.Config.Should().BeNull();
        var lines = text.TrimEnd('\n').Split('\n');
        result.Diagnostics.Select(d => d.ToString()).Should().ContainSingle().Which.Should()
            .Be($"config.yaml:{lines.Length}:{lines[^1].Length + 1}: error: YAML syntax: the file ends inside an unclosed '[' or '{{'; close the bracket, or quote a value that starts with '[' or '{{'");
    }

    [Fact]
    public void Sdid_and_topic_must_agree_with_the_parser_table()
    {
        var text = Production.Replace("sdid: haproxykafka@0", "sdid: benthoslog", StringComparison.Ordinal)
            .Replace("topic: webrequest_frontend_text", "topic: webrequest_undefined", StringComparison.Ordinal);
        var config = ForwarderConfigLoader.Load(text, "config.yaml").Config!;
        var bag = new DiagnosticBag();

        ForwarderConfigChecks.AgainstTable(config, ShippedTable, bag);

        bag.Sorted().Select(d => d.ToString()).Should().Equal(
            $"config.yaml:3:1: error: 'sdid' is 'benthoslog' but the parser table ({ShippedTable.File}) reads SD-ID 'haproxykafka@0'; no line would match; set 'sdid: haproxykafka@0' (HAProxy's log-format-sd writes it)",
            "config.yaml:16:3: error: 'kafka.topic' is 'webrequest_undefined', which is not a cluster topic of the schema, so webrequest_source cannot be set; use one of webrequest_frontend_text (text), webrequest_frontend_upload (upload), or add the cluster to schema.yaml and regenerate");
    }

    [Theory]
    [InlineData("1000ms", 1000)]
    [InlineData("1.5s", 1500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("250us", 0.25)]
    public void Go_durations_parse(string text, double milliseconds)
    {
        GoDuration.TryParse(text, out var value).Should().BeTrue();
        value.TotalMilliseconds.Should().Be(milliseconds);
    }
}
