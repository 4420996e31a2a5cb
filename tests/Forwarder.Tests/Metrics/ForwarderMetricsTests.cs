using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Metrics;

namespace HaproxyKafka.Forwarder.Tests.Metrics;

/// <summary>The metrics as the line path uses them and as /metrics writes them, without a daemon.</summary>
public class ForwarderMetricsTests
{
    private static readonly MonitoringSettings Settings =
        new(false, true, ":9341", "haproxykafka_", [5e-6, 1e-3], [1e-3], [0.01, 1], TimeSpan.FromSeconds(30));

    [Fact]
    public void Counting_on_the_line_path_allocates_nothing()
    {
        var metrics = new ForwarderMetrics(Settings, () => 0);
        CountOneOfEach(metrics); // first use: prometheus-net publishes the series, the JIT compiles

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            CountOneOfEach(metrics);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        metrics.Received.Value.Should().Be(1001);
        metrics.Lines["notice"].Should().Be(1001);
        metrics.Saturation["kafka-queue"].Should().Be(1001);
    }

    [Fact]
    public async Task Every_declared_label_value_is_exported_at_zero_before_its_first_event()
    {
        var text = await Exposition(new ForwarderMetrics(Settings, () => 0));

        foreach (var reason in Reasons.DeadLettered)
        {
            text.Should().Contain($"haproxykafka_dead_lettered_lines_total{{reason=\"{reason}\"}} 0\n");
        }

        foreach (var kind in Reasons.Kinds)
        {
            text.Should().Contain($"haproxykafka_lines_total{{kind=\"{kind}\"}} 0\n");
        }

        foreach (var channel in Reasons.Channels)
        {
            text.Should().Contain($"haproxykafka_saturation_errors_total{{channel=\"{channel}\"}} 0\n")
                .And.Contain($"haproxykafka_saturation_errors{{channel=\"{channel}\"}} 0\n");
        }
    }

    [Fact]
    public async Task A_saturation_event_counts_under_both_names_and_each_instance_has_its_own_registry()
    {
        var first = new ForwarderMetrics(Settings, () => 7);
        var second = new ForwarderMetrics(Settings with { PrometheusPrefix = "other_" }, () => 0);
        first.SocketSaturation.Add();
        first.Saturated(Reasons.KafkaMessageChannel);
        first.AddBuildInfo("1.2.3", "2.0.2", "b4052c1782c671f4");

        var text = await Exposition(first);

        text.Should().Contain("haproxykafka_saturation_errors_total{channel=\"socket\"} 1\n")
            .And.Contain("haproxykafka_saturation_errors{channel=\"socket\"} 1\n")
            .And.Contain("# TYPE haproxykafka_saturation_errors gauge\n")
            .And.Contain("haproxykafka_saturation_errors{channel=\"kafka-msg\"} 1\n")
            .And.Contain("haproxykafka_in_flight_lines 7\n")
            .And.Contain("haproxykafka_build_info{version=\"1.2.3\",librdkafka=\"2.0.2\",schema_fingerprint=\"b4052c1782c671f4\"} 1\n")
            .And.NotContain("other_");
        (await Exposition(second)).Should().Contain("other_saturation_errors{channel=\"socket\"} 0\n").And.NotContain("haproxykafka_");
    }

    private static void CountOneOfEach(ForwarderMetrics metrics)
    {
        metrics.Received.Add();
        metrics.Valid.Add();
        metrics.Delivered.Add();
        metrics.LinesOf(LineKind.Notice).Add();
        metrics.DroppedNotARequest.Add();
        metrics.UnknownParams.Add(2);
        metrics.Parsing.Observe(2e-6);
        metrics.Processing.Observe(2e-3);
        metrics.DeliveryLatency.Observe(0.5);
        metrics.Saturated(Reasons.KafkaQueueChannel);
    }

    internal static async Task<string> Exposition(ForwarderMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
