using System.Security.Cryptography;
using System.Text;
using HaproxyKafka.Loopback;
using HaproxyKafka.Decoder.Rfc5424;
using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Runs real HAProxy on the HAProxy fragments (loopback listeners, the logger pointed at a socket of our own), sends
/// one request with a sentinel in every captured request and response header, and checks that every SD param of the
/// datagram HAProxy writes carries its own sentinel. This catches what reading the config cannot: HAProxy's actual
/// slot numbering, fetch and escaping behaviour in the installed version.
/// </summary>
public static class LiveConformance
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static async Task<(IReadOnlyList<Finding> Findings, string Covered)> CheckAsync(SchemaExpectations expected, GeneratedFragments fragments, string fragmentsLabel, string haproxyBinary)
    {
        var haproxyPath = ToolPath.TryLocate(haproxyBinary)
            ?? throw new CheckerCannotRunException($"--live needs HAProxy, and '{haproxyBinary}' is neither a file nor on PATH (or in /usr/sbin); install it (apt-get install haproxy), pass --haproxy-bin, or drop --live");
        var schema = expected.Schema;
        var findings = new List<Finding>();
        var scratch = Directory.CreateTempSubdirectory("haproxykafka-live-");
        try
        {
            using var receiver = new UnixDatagramReceiver(Path.Combine(scratch.FullName, "forwarder.sock"));
            if (!fragments.Global.Contains(schema.Haproxy.Socket, StringComparison.Ordinal))
            {
                findings.Add(new Finding(fragmentsLabel, 1, Severity.Error, $"the global fragment has no logger on the schema's socket '{schema.Haproxy.Socket}'", "regenerate the fragments from the schema", schema.Haproxy.At("socket")));
                return (findings, "nothing: no logger to point at the test socket");
            }

            var sentinels = new LiveSentinels(schema, RandomNumberGenerator.GetHexString(6, lowercase: true));
            var (frontPort, originPort) = (FreePort.Next(), FreePort.Next());
            var config = Path.Combine(scratch.FullName, "haproxy.cfg");
            File.WriteAllText(config, LoopbackHaproxyConfig.Build(
                fragments with { Global = fragments.Global.Replace(schema.Haproxy.Socket, receiver.Path, StringComparison.Ordinal) },
                frontPort, originPort, sentinels.ResponseHeaders, sentinels.ContentType));

            HaproxyProcess haproxy;
            try
            {
                haproxy = await HaproxyProcess.StartAsync(config, frontPort, haproxyPath);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                findings.Add(new Finding(fragmentsLabel, 1, Severity.Error, $"HAProxy did not start on the fragments: {Alerts(e.Message)}", "run 'haproxy -c' on a config that includes them and fix what it reports"));
                return (findings, "HAProxy refused the fragments");
            }

            await using (haproxy)
            {
                var request = RawHttp.Request(sentinels.RequestLine, sentinels.RequestHeaders.Select(h => KeyValuePair.Create(h.Key, Encoding.UTF8.GetBytes(h.Value))));
                var response = await RawHttp.SendAsync(frontPort, request);
                if (!response.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                {
                    findings.Add(new Finding(fragmentsLabel, 1, Severity.Error, $"the sentinel request got '{FirstLines(response)}' instead of 200", "run the check with the fragments on a plain HAProxy and read its log"));
                }

                byte[] datagram;
                try
                {
                    // An emptied line has lost the sentinels, but it is the answer: the logger's len is too small.
                    datagram = await receiver.ReceiveMatchingAsync(d => Encoding.UTF8.GetString(d).Contains(sentinels.Token, StringComparison.Ordinal) || DecodedDatagram.Read(d).Shape == DatagramShape.Emptied, Wait);
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException)
                {
                    findings.Add(new Finding(fragmentsLabel, 1, Severity.Error, $"HAProxy wrote no log line for the sentinel request within {Wait.TotalSeconds:0} s (an emptied or missing line; HAProxy said: {FirstLines(haproxy.Log)})", "check the logger's len and that the proxies log to it"));
                    return (findings, "one sentinel request, no datagram");
                }

                Judge(expected, sentinels, datagram, findings);
                var checkedFields = schema.Fields.Count(f => sentinels.Expected(schema, f) is not null);
                return (findings, $"HAProxy {haproxy.Version}: one sentinel request, {checkedFields} of {schema.Fields.Length} fields compared with their sentinel, all mapped by the forwarder's code");
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static void Judge(SchemaExpectations expected, LiveSentinels sentinels, byte[] datagram, List<Finding> findings)
    {
        var schema = expected.Schema;
        // HAProxy on this host wrote dt in this host's local time.
        var verdict = new DatagramJudge(expected, TimeZoneInfo.Local).Judge(datagram);
        if (verdict.Problem is not null)
        {
            findings.Add(new Finding(schema.File, 1, Severity.Error, $"the forwarder would not map HAProxy's line: {verdict.Problem}", "fix the fragments (regenerate them) until the live line maps"));
        }

        if (DecodedDatagram.Read(datagram).Element(schema.SdId) is not { } element)
        {
            return;
        }

        foreach (var field in schema.Fields)
        {
            var want = sentinels.Expected(schema, field);
            var have = element[field.SdParam];
            if (want is null || have is null || have == want)
            {
                continue;
            }

            var whose = sentinels.WhoseValue(have);
            var why = have == "-" ? "nothing (the capture never saw its header)"
                : want.Contains(',', StringComparison.Ordinal) && want.EndsWith(have.TrimStart(), StringComparison.Ordinal) ? $"'{have}', only the part after the comma (a hdr() fetch splits on commas)"
                : whose is not null ? $"'{have}', the sentinel of {whose}"
                : $"'{have}'";
            findings.Add(new Finding(schema.File, field.Location.Line, Severity.Error, $"live: SD param '{field.SdParam}' ({field.Source switch { Schema.Model.FieldSource.Capture c => $"{c.Direction.ToString().ToLowerInvariant()} header {c.Header}", Schema.Model.FieldSource.LogItem i => i.Item.Code, _ => "?" }}) carried {why}; expected '{want}'", "the fragments do not put this value where the schema says; regenerate them, or fix the capture order/len/fetch"));
        }
    }

    /// <summary>HAProxy's ALERT and WARNING lines, which say what is wrong; its NOTICE lines only say who it is.</summary>
    private static string Alerts(string log)
    {
        var alerts = log.Split('\n').Where(l => l.Contains("[ALERT]", StringComparison.Ordinal) || l.Contains("[WARNING]", StringComparison.Ordinal)).ToList();
        return alerts.Count > 0 ? FirstLines(string.Join('\n', alerts)) : FirstLines(log);
    }

    private static string FirstLines(string text) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(4));
}
