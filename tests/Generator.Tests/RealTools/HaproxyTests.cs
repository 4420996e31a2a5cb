using HaproxyKafka.Loopback;
using System.Net.Sockets;
using System.Text;
using HaproxyKafka.Decoder.Rfc5424;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Generator.Tests.RealTools;

/// <summary>The generated HAProxy fragments, checked by HAProxy itself and then run with real traffic.</summary>
public class HaproxyTests
{
    // Every captured header gets a value no other header has; commas, quotes, ']' and '\' make sure nothing splits
    // values on commas (req.hdr would) and that RFC 5424 escaping round-trips.
    private static readonly Dictionary<string, string> RequestHeaders = new()
    {
        ["Host"] = "host-sentinel.example",
        ["Referer"] = "https://ref.example/a,b?q=\"quoted\"]x\\y",
        ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",
        ["Accept-Language"] = "de-DE,de;q=0.9,en;q=0.8",
        ["Range"] = "bytes=0-99999999", // longer than its capture len 10: HAProxy cuts it
        ["Accept"] = "text/html,application/xhtml+xml",
        ["X-Analytics-TLS"] = "vers=TLSv1.3;keyx=X25519,sentinel",
    };

    private static readonly Dictionary<string, string> ResponseHeaders = new()
    {
        ["X-Cache-Status"] = "hit-front",
        ["X-Analytics"] = "ns=0;page_id=42,sentinel=1",
        ["X-Cache"] = "cp1 hit, cp2 miss",
        ["Server"] = "mw-sentinel",
    };

    private const string ContentType = "text/x-sentinel";

    [Fact]
    public async Task Haproxy_accepts_the_assembled_config_without_warnings()
    {
        using var generated = GeneratedSet.FromShippedSchema("/tmp/haproxykafka-check.sock");
        var config = generated.Scratch.File("haproxy.cfg");
        File.WriteAllText(config, LoopbackHaproxyConfig.Build(GeneratedFragments.FromDirectory(generated.OutDir), FreePort.Next(), FreePort.Next(), ResponseHeaders, ContentType));

        var result = await ExternalTool.RunAsync("haproxy", ["-c", "-dW", "-f", config]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("Configuration file is valid");
    }

    [Fact]
    public async Task Haproxy_rejects_a_broken_fragment_so_the_check_above_means_something()
    {
        using var generated = GeneratedSet.FromShippedSchema("/tmp/haproxykafka-check.sock");
        var config = generated.Scratch.File("haproxy.cfg");
        var text = LoopbackHaproxyConfig.Build(GeneratedFragments.FromDirectory(generated.OutDir), FreePort.Next(), FreePort.Next(), ResponseHeaders, ContentType)
            .Replace("http-request capture req.fhdr(X-Analytics-TLS) id 6", "http-request capture req.fhdr(X-Analytics-TLS) id 7");
        File.WriteAllText(config, text);

        var result = await ExternalTool.RunAsync("haproxy", ["-c", "-dW", "-f", config]);

        result.ExitCode.Should().NotBe(0);
    }

    [Fact]
    public async Task Every_sd_param_carries_the_value_of_its_own_header_end_to_end()
    {
        using var scratch = new TempDirectory();
        using var receiver = new UnixDatagramReceiver(scratch.File("log.sock"));
        using var generated = GeneratedSet.FromShippedSchema(receiver.Path);
        var (frontPort, originPort) = (FreePort.Next(), FreePort.Next());
        var config = generated.Scratch.File("haproxy.cfg");
        File.WriteAllText(config, LoopbackHaproxyConfig.Build(GeneratedFragments.FromDirectory(generated.OutDir), frontPort, originPort, ResponseHeaders, ContentType));
        await using var haproxy = await HaproxyProcess.StartAsync(config, frontPort);

        var response = await SendRawRequestAsync(frontPort, "GET /wiki/Sentinel?a=1&b=%22x%22 HTTP/1.1", RequestHeaders);
        response.Should().StartWith("HTTP/1.1 200");
        var datagram = await receiver.ReceiveMatchingAsync(d => Encoding.UTF8.GetString(d).Contains("host-sentinel.example"), TimeSpan.FromSeconds(10));

        var line = DecodedDatagram.Read(datagram);
        line.Shape.Should().Be(DatagramShape.Structured, $"{line.Fault} at byte {line.Position}");
        Encoding.UTF8.GetString(datagram).Should().MatchRegex(@"^<134>1 \S+ - ", "local0.info, and no HOSTNAME");
        var sd = line.Element(generated.Schema.SdId);
        sd.Should().NotBeNull(Encoding.UTF8.GetString(datagram));
        sd!.Params.Select(p => p.Key).Should().Equal(generated.Schema.Fields.Select(f => f.SdParam).Append(LogSchema.FingerprintParam));
        foreach (var field in generated.Schema.Fields)
        {
            sd[field.SdParam].Should().Be(Expected(generated.Schema, field, sd[field.SdParam]!), $"SD param '{field.SdParam}' (source {field.Source})");
        }

        sd[LogSchema.FingerprintParam].Should().Be(generated.Fingerprint);
        line.Message.Should().MatchRegex($@"^{sd["sequence"]} {sd["time_backend_response"]} \d+ \d+ 200 \{{host-sentinel\.example\}} \{{hit-front\}} --$");
    }

    /// <summary>What HAProxy must have logged for a field, derived from the schema; runtime values only by shape.</summary>
    private static string Expected(LogSchema schema, FieldSpec field, string actual)
    {
        switch (field.Source)
        {
            case FieldSource.Capture { Direction: CaptureDirection.Request } c:
                var sent = RequestHeaders[c.Header];
                return sent[..Math.Min(sent.Length, schema.Captures.Find(c.Direction, c.Header)!.Len)];
            case FieldSource.Capture c:
                var answered = c.Header == "Content-Type" ? ContentType : ResponseHeaders[c.Header];
                return answered[..Math.Min(answered.Length, schema.Captures.Find(c.Direction, c.Header)!.Len)];
            case FieldSource.LogItem { Item.Code: var code }:
                var value = code switch
                {
                    "%ci" => "127.0.0.1",
                    "%ST" => "200",
                    "%ts" => "--",
                    "%HM" => "GET",
                    "%HPO" => "/wiki/Sentinel",
                    "%HQ" => "?a=1&b=%22x%22",
                    _ => null,
                };
                if (value is not null)
                {
                    return value;
                }

                actual.Should().MatchRegex(code == "%tr" ? @"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d\.\d{3}$" : @"^\d+$", $"{code} has its format");
                return actual;
            default:
                throw new InvalidOperationException($"no expectation for {field.Source}");
        }
    }

    private static async Task<string> SendRawRequestAsync(int port, string requestLine, IReadOnlyDictionary<string, string> headers)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var request = new StringBuilder(requestLine).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        request.Append("Connection: close\r\n\r\n");
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
