using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;
using Json.Schema;

namespace HaproxyKafka.Forwarder.Tests.E2E;

/// <summary>Real HAProxy -> the daemon -> librdkafka's broker -> a real consumer; every field of every message checked.</summary>
public class EndToEndTests
{
    private static readonly string LongAgent = new('u', 2000);

    private static readonly JsonSchema MessageSchema =
        JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoPaths.Generated, "schemas", "webrequest.json")));

    private static readonly EvaluationOptions SchemaOptions = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    [Fact]
    public async Task Every_field_of_every_crafted_request_arrives_in_kafka()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema);
        var requests = new (string Host, byte[] Request)[]
        {
            ("e2e-tricky.example", RawHttp.Request("GET /e2e/tricky?q=1&r=%22 HTTP/1.1", Headers(
                ("Host", "e2e-tricky.example"u8.ToArray()),
                ("Referer", Encoding.UTF8.GetBytes("https://r.example/\"q\"\\b]c")),
                ("User-Agent", Encoding.UTF8.GetBytes("UA \"x\" \\ ] ünï 東京")),
                ("Accept-Language", "de-DE,de;q=0.9,en;q=0.8"u8.ToArray()),
                ("Range", "bytes=0-1234567890"u8.ToArray()),
                ("Accept", "text/html,application/xhtml+xml"u8.ToArray()),
                ("X-Analytics-TLS", "vers=TLSv1.3;keyx=X25519"u8.ToArray())))),
            ("e2e-invalid.example", RawHttp.Request("GET /e2e/invalid HTTP/1.1", Headers(
                ("Host", "e2e-invalid.example"u8.ToArray()),
                ("User-Agent", [(byte)'x', 0xC3, 0x28, (byte)'y', 0xFF])))),
            ("e2e-long.example", RawHttp.Request("GET /e2e/long HTTP/1.1", Headers(
                ("Host", "e2e-long.example"u8.ToArray()),
                ("User-Agent", Encoding.ASCII.GetBytes(LongAgent))))),
            ("e2e-missing.example", RawHttp.Request("GET / HTTP/1.1", Headers(("Host", "e2e-missing.example"u8.ToArray())))),
            ("-", "NOT-HTTP\r\n\r\n"u8.ToArray()),
        };

        foreach (var (_, request) in requests)
        {
            await RawHttp.SendAsync(run.FrontPort, request);
        }

        var delivered = await run.WaitForQuietAsync(requests.Length, TimeSpan.FromSeconds(30));
        var produced = await run.ReadTopicAsync(run.Topic, (int)delivered, TimeSpan.FromSeconds(30));
        foreach (var message in produced)
        {
            // Every message, as the consumer read it, against the generated JSON Schema, with a real validator.
            using var document = JsonDocument.Parse(message.Value);
            var result = MessageSchema.Evaluate(document.RootElement, SchemaOptions);
            result.IsValid.Should().BeTrue($"{Encoding.UTF8.GetString(message.Value)} must match generated/schemas/webrequest.json:\n{Errors(result)}");
        }

        var messages = produced.Select(m => JsonNode.Parse(m.Value)!.AsObject()).ToList();

        var byHost = messages.Where(m => (string?)m["uri_path"] != "<BADREQ>").ToDictionary(m => (string)m["uri_host"]!);
        Check(byHost["e2e-tricky.example"], Expected(
            ("uri_host", "e2e-tricky.example"), ("referer", "https://r.example/\"q\"\\b]c"), ("user_agent", "UA \"x\" \\ ] ünï 東京"),
            ("accept_language", "de-DE,de;q=0.9,en;q=0.8"), ("range", "bytes=0-12"), ("accept", "text/html,application/xhtml+xml"),
            ("tls", "vers=TLSv1.3;keyx=X25519"), ("uri_path", "/e2e/tricky"), ("uri_query", "?q=1&r=%22")));
        Check(byHost["e2e-invalid.example"], Expected(("uri_host", "e2e-invalid.example"), ("user_agent", "x\uFFFD(y\uFFFD"), ("uri_path", "/e2e/invalid"), ("uri_query", "")));
        Check(byHost["e2e-long.example"], Expected(("uri_host", "e2e-long.example"), ("user_agent", LongAgent[..1024]), ("uri_path", "/e2e/long"), ("uri_query", "")));
        Check(byHost["e2e-missing.example"], Expected(("uri_host", "e2e-missing.example"), ("uri_path", "/"), ("uri_query", "")));

        // The bad request, and the harness's own readiness probe (an empty connection), are logged as <BADREQ>.
        var bad = messages.Where(m => (string?)m["http_method"] == "<BADREQ>").ToList();
        bad.Should().NotBeEmpty();
        foreach (var message in bad)
        {
            message["http_status"]!.GetValue<string>().Should().Be("400");
            message["uri_path"]!.GetValue<string>().Should().Be("<BADREQ>");
            message["cache_status"]!.GetValue<string>().Should().Be("-");
            message["hostname"]!.GetValue<string>().Should().Be("cp9999.demo.wmnet");
        }

        messages.Should().HaveCount(4 + bad.Count);
        (await run.CountersAsync()).Should().Be(new Ledger(messages.Count, messages.Count, 0, 0, 0));
    }

    private static string Errors(EvaluationResults result) =>
        string.Join('\n', (result.Details ?? []).Prepend(result)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}) {e.Key}: {e.Value}")));

    private static IEnumerable<KeyValuePair<string, byte[]>> Headers(params (string Name, byte[] Value)[] headers) =>
        headers.Select(h => KeyValuePair.Create(h.Name, h.Value));

    /// <summary>Every request header field defaults to "-" (absent: dash); the origin's response headers are fixed.</summary>
    private static Dictionary<string, string> Expected(params (string Field, string Value)[] values)
    {
        var expected = new Dictionary<string, string>
        {
            ["ip"] = "127.0.0.1",
            ["http_status"] = "200",
            ["termination_state"] = "--",
            ["http_method"] = "GET",
            ["referer"] = "-",
            ["user_agent"] = "-",
            ["accept_language"] = "-",
            ["range"] = "-",
            ["accept"] = "-",
            ["tls"] = "-",
            ["cache_status"] = EndToEnd.DefaultOriginHeaders["X-Cache-Status"],
            ["content_type"] = EndToEnd.DefaultContentType,
            ["x_analytics"] = EndToEnd.DefaultOriginHeaders["X-Analytics"],
            ["x_cache"] = EndToEnd.DefaultOriginHeaders["X-Cache"],
            ["backend"] = EndToEnd.DefaultOriginHeaders["Server"],
            ["hostname"] = "cp9999.demo.wmnet",
            ["webrequest_source"] = "text",
        };
        foreach (var (field, value) in values)
        {
            expected[field] = value;
        }

        return expected;
    }

    private static void Check(JsonObject message, Dictionary<string, string> expected)
    {
        var text = message.ToJsonString();
        message.Select(p => p.Key).Should().Equal(
            ["server_pid", "ip", "sequence", "dt", "time_firstbyte", "http_status", "response_size", "termination_state", "uri_host", "referer",
             "user_agent", "accept_language", "range", "accept", "tls", "cache_status", "content_type", "x_analytics", "x_cache", "backend",
             "http_method", "uri_path", "uri_query", "hostname", "webrequest_source"], text);
        foreach (var (field, value) in expected)
        {
            message[field]!.GetValue<string>().Should().Be(value, $"field {field} of {text}");
        }

        // Runtime values: right JSON type and shape.
        message["server_pid"]!.GetValue<long>().Should().BePositive(text);
        message["sequence"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(0, text);
        message["response_size"]!.GetValue<long>().Should().BePositive(text);
        message["time_firstbyte"]!.GetValue<double>().Should().BeInRange(0, 5, text);
        var dt = DateTime.Parse(message["dt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        message["dt"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        dt.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(2), "dt is the request time in UTC");
    }
}
