using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.E2E;

/// <summary>
/// The drop-in migration: real HAProxy still runs a log-format-sd without the fingerprint param (as production's does
/// before its config is regenerated), and the daemon with <c>map_lines_without_fingerprint</c> maps its lines by name.
/// </summary>
public partial class DropInMigrationTests
{
    [Fact]
    public async Task Lines_without_a_fingerprint_are_mapped_and_counted_when_the_setting_is_on()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, extraConfig: "map_lines_without_fingerprint: true\n");
        var logFormat = Path.Combine(run.GeneratedDirectory, "haproxy", "log-format.cfg");
        var withFingerprint = await File.ReadAllTextAsync(logFormat);
        var legacy = FingerprintParam().Replace(withFingerprint, string.Empty);
        legacy.Should().NotBe(withFingerprint, "the generated log-format-sd carries the fingerprint param to remove");
        await File.WriteAllTextAsync(logFormat, legacy);
        await run.StartHaproxyAsync();

        await RawHttp.SendAsync(run.FrontPort, RawHttp.Request("GET /drop-in?x=1 HTTP/1.1", [KeyValuePair.Create("Host", "drop-in.example"u8.ToArray())]));

        var delivered = await run.WaitForQuietAsync(2, TimeSpan.FromSeconds(30));
        var messages = (await run.ReadTopicAsync(run.Topic, (int)delivered, TimeSpan.FromSeconds(30)))
            .Select(m => JsonNode.Parse(m.Value)!.AsObject()).ToList();
        var request = messages.Single(m => (string?)m["uri_host"] == "drop-in.example");
        request["uri_path"]!.GetValue<string>().Should().Be("/drop-in");
        request["uri_query"]!.GetValue<string>().Should().Be("?x=1");
        request["http_status"]!.GetValue<string>().Should().Be("200");

        var ledger = await run.CountersAsync();
        ledger.Should().Be(new Ledger(messages.Count, messages.Count, 0, 0, 0), "every line is mapped, none dead-lettered");
        var metrics = await run.Forwarder.GetAsync("metrics");
        Regex.Match(metrics, @"^haproxykafka_lines_without_fingerprint_total (\d+)$", RegexOptions.Multiline).Groups[1].Value
            .Should().Be(messages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@" schema_fp=\\""[0-9a-f]{16}\\""")]
    private static partial Regex FingerprintParam();
}
