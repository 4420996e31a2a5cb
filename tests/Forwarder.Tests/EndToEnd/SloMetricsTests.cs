using System.Globalization;
using System.Text.RegularExpressions;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.E2E;

/// <summary>HAProxy's SLO series as the daemon exports them after real HAProxy served real requests.</summary>
public class SloMetricsTests
{
    [Fact]
    public async Task Requests_are_counted_by_termination_and_status_class_with_their_time_to_first_byte()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema);
        for (var i = 0; i < 3; i++)
        {
            await RawHttp.SendAsync(run.FrontPort, RawHttp.Request($"GET /slo/{i} HTTP/1.1", [KeyValuePair.Create("Host", "slo.example"u8.ToArray())]));
        }

        await RawHttp.SendAsync(run.FrontPort, "NOT-HTTP\r\n\r\n"u8.ToArray());

        // Three served requests, the bad one, and the harness's readiness probe (also a <BADREQ>).
        var delivered = await run.WaitForQuietAsync(5, TimeSpan.FromSeconds(30));
        var messages = await run.ReadTopicAsync(run.Topic, (int)delivered, TimeSpan.FromSeconds(30));
        var text = await run.Forwarder.GetAsync("metrics");

        long Series(string labels) => long.Parse(Regex.Match(text, $"^haproxykafka_requests_total\\{{{Regex.Escape(labels)}\\}} (\\d+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        Series("termination=\"normal\",status_class=\"2xx\"").Should().Be(3, text);

        // HAProxy ends an unparsable request itself with 400 and termination state "PR": a deny, not an SLO error.
        // The readiness probe connects and closes without a byte: 400 with "CR", ended by the client.
        Series("termination=\"proxy_deny\",status_class=\"4xx\"").Should().Be(1, text);
        var probes = messages.Count - 4;
        probes.Should().BePositive();
        Series("termination=\"client\",status_class=\"4xx\"").Should().Be(probes, text);
        Series("termination=\"proxy_error\",status_class=\"5xx\"").Should().Be(0);

        // The origin answered the three, so each has a %Tr; the bad requests never reached a server (-1: not observed).
        Regex.Match(text, @"^haproxykafka_time_firstbyte_seconds_count (\d+)$", RegexOptions.Multiline).Groups[1].Value.Should().Be("3", text);
    }
}
