using HaproxyKafka.Race.Measuring;

namespace HaproxyKafka.Bench.Tests;

/// <summary>The race's p99 column: a quantile read from Prometheus text, interpolated inside its bucket.</summary>
public sealed class LatencyQuantileTests
{
    private const string Exposition = """
        # TYPE hk_delivery_latency_seconds histogram
        hk_delivery_latency_seconds_sum 1.5
        hk_delivery_latency_seconds_count 100
        hk_delivery_latency_seconds_bucket{le="0.01"} 50
        hk_delivery_latency_seconds_bucket{le="0.02"} 90
        hk_delivery_latency_seconds_bucket{le="0.05"} 100
        hk_delivery_latency_seconds_bucket{le="+Inf"} 100
        hk_parse_duration_seconds_bucket{le="0.01"} 7
        hk_parse_duration_seconds_bucket{le="+Inf"} 7
        """;

    [Fact]
    public void The_p99_lies_in_the_bucket_that_holds_the_99th_observation_and_is_interpolated_inside_it()
    {
        var p99 = LatencyQuantile.Read(Exposition, "hk_delivery_latency_seconds", 0.99)!;

        p99.LowerMs.Should().Be(20);
        p99.UpperMs.Should().Be(50);
        p99.Ms.Should().BeApproximately(47, 0.001, "9 of the bucket's 10 observations lie below rank 99: 20 + 30 * 9/10");
        p99.Observations.Should().Be(100);
    }

    [Fact]
    public void A_quantile_past_the_last_finite_bucket_says_only_more_than_it_and_an_empty_histogram_says_nothing()
    {
        var beyond = Exposition.Replace("""le="0.05"} 100""", """le="0.05"} 95""", StringComparison.Ordinal);

        LatencyQuantile.Read(beyond, "hk_delivery_latency_seconds", 0.99)!.UpperMs.Should().Be(double.PositiveInfinity);
        LatencyQuantile.Read(Exposition, "hk_missing_seconds", 0.99).Should().BeNull();
    }
}
