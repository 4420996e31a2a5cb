using System.Globalization;
using System.Text.RegularExpressions;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Forwarder.Metrics;

namespace HaproxyKafka.Forwarder.Tests.Metrics;

/// <summary>A worker's SLO tally as /metrics writes it once flushed: counts per cell, exact histogram buckets and sum.</summary>
public class SloTallyTests
{
    [Fact]
    public async Task A_flush_publishes_exact_counts_buckets_and_sum_and_nothing_before_it()
    {
        var metrics = TestMetrics.Create();
        var tally = metrics.Slo.NewTally();
        SloFacts[] facts =
        [
            new(TerminationClass.Normal, StatusClass.Success, 57),
            new(TerminationClass.Normal, StatusClass.Success, 57),
            new(TerminationClass.Normal, StatusClass.Success, 57),
            new(TerminationClass.ProxyError, StatusClass.ServerError, SloFacts.NoTimeToFirstByte),
            new(TerminationClass.Client, StatusClass.ClientError, 50),
            new(TerminationClass.Server, StatusClass.ServerError, 20000),
        ];
        foreach (var fact in facts)
        {
            tally.Count(fact);
        }

        (await ForwarderMetricsTests.Exposition(metrics)).Should().Contain("haproxykafka_time_firstbyte_seconds_count 0\n", "nothing is published before a flush");

        tally.Flush();
        var text = await ForwarderMetricsTests.Exposition(metrics);

        text.Should().Contain("haproxykafka_requests_total{termination=\"normal\",status_class=\"2xx\"} 3\n")
            .And.Contain("haproxykafka_requests_total{termination=\"proxy_error\",status_class=\"5xx\"} 1\n")
            .And.Contain("haproxykafka_requests_total{termination=\"client\",status_class=\"4xx\"} 1\n")
            .And.Contain("haproxykafka_requests_total{termination=\"server\",status_class=\"5xx\"} 1\n")
            .And.Contain("haproxykafka_requests_total{termination=\"proxy_deny\",status_class=\"other\"} 0\n", "every cell is exported from the start")
            .And.Contain("haproxykafka_time_firstbyte_seconds_bucket{le=\"0.025\"} 0\n")
            .And.Contain("haproxykafka_time_firstbyte_seconds_bucket{le=\"0.05\"} 1\n", "50 ms is within the SLO's threshold")
            .And.Contain("haproxykafka_time_firstbyte_seconds_bucket{le=\"0.1\"} 4\n")
            .And.Contain("haproxykafka_time_firstbyte_seconds_bucket{le=\"10\"} 4\n")
            .And.Contain("haproxykafka_time_firstbyte_seconds_bucket{le=\"+Inf\"} 5\n")
            .And.Contain("haproxykafka_time_firstbyte_seconds_count 5\n", "a request without %Tr is not observed");
        var sum = double.Parse(Regex.Match(text, @"^haproxykafka_time_firstbyte_seconds_sum (\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        sum.Should().BeApproximately((3 * 0.057) + 0.05 + 20, 1e-9);
        Regex.Matches(text, "^haproxykafka_requests_total\\{", RegexOptions.Multiline).Should().HaveCount(36);
    }

    [Fact]
    public void Counting_and_flushing_allocate_nothing()
    {
        var metrics = TestMetrics.Create();
        var tally = metrics.Slo.NewTally();
        var fact = new SloFacts(TerminationClass.Normal, StatusClass.Success, 12);
        tally.Count(fact);
        tally.Flush(); // first use publishes the series

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            tally.Count(fact);
            tally.Flush();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        metrics.Slo.Requests(SloMetrics.Index(TerminationClass.Normal, StatusClass.Success)).Value.Should().Be(1001);
    }
}
