using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.TestSupport;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Decoder.Tests.Mapping;

/// <summary>The checked-in generated parser table and lines shaped exactly as HAProxy writes them for it.</summary>
internal static class ShippedTable
{
    public static readonly ParserTable Table = ParserTableLoader.Load(Path.Combine(RepoPaths.Root, "generated", "forwarder", "parser-table.json"));

    public static LineMapper Mapper(TimeZoneInfo? zone = null) => new(Table, "cp3050.esams.wmnet", "text", zone ?? TimeZoneInfo.Utc);

    /// <summary>A request line; <paramref name="overrides"/> replace param values (already RFC 5424-escaped), null removes one.</summary>
    public static byte[] Line(IReadOnlyDictionary<string, string?>? overrides = null, string? fingerprint = null, string sdId = "haproxykafka@0")
    {
        var values = new Dictionary<string, string?>
        {
            ["server_pid"] = "4242",
            ["ip"] = "198.51.100.7",
            ["sequence"] = "123456",
            ["dt"] = "23/May/2024:15:23:41.859",
            ["time_backend_response"] = "57",
            ["http_status"] = "200",
            ["response_size"] = "5120",
            ["termination_state"] = "--",
            ["uri_host"] = "en.wikipedia.org",
            ["referer"] = "-",
            ["user_agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
            ["accept_language"] = "de-DE,de;q=0.9",
            ["range"] = "-",
            ["accept"] = "text/html",
            ["tls"] = "vers=TLSv1.3;keyx=X25519",
            ["cache_status"] = "hit-front",
            ["content_type"] = "text/html; charset=UTF-8",
            ["x_analytics"] = "ns=0;page_id=42",
            ["x_cache"] = "cp3050 hit, cp3050 hit/3",
            ["backend"] = "ATS/9.2.5",
            ["http_method"] = "GET",
            ["uri_path"] = "/wiki/Main_Page",
            ["uri_query"] = "?action=view",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var sd = string.Concat(values.Where(v => v.Value is not null).Select(v => $" {v.Key}=\"{v.Value}\""));
        return System.Text.Encoding.UTF8.GetBytes(
            $"<134>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - [{sdId}{sd} schema_fp=\"{fingerprint ?? Table.Fingerprint}\"] 123456 57 0 0 200 {{en.wikipedia.org}} {{hit-front}} --\n");
    }
}
