using System.Text;
using System.Text.Json;
using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Decoder.Tests.Mapping;

public class LineMapperTests
{
    // Checked by hand once against the reference (section 4): types, order, transforms, added fields.
    private const string GoldenMessage =
        """{"server_pid":4242,"ip":"198.51.100.7","sequence":123456,"dt":"2024-05-23T15:23:41Z","time_firstbyte":0.057,"http_status":"200","response_size":5120,"termination_state":"--","uri_host":"en.wikipedia.org","referer":"-","user_agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)","accept_language":"de-DE,de;q=0.9","range":"-","accept":"text/html","tls":"vers=TLSv1.3;keyx=X25519","cache_status":"hit-front","content_type":"text/html; charset=UTF-8","x_analytics":"ns=0;page_id=42","x_cache":"cp3050 hit, cp3050 hit/3","backend":"ATS/9.2.5","http_method":"GET","uri_path":"/wiki/Main_Page","uri_query":"?action=view","hostname":"cp3050.esams.wmnet","webrequest_source":"text"}""";

    [Fact]
    public void A_request_line_becomes_the_golden_message_byte_for_byte()
    {
        var (result, json) = Map(ShippedTable.Line());

        result.IsMessage.Should().BeTrue(result.ToString());
        json.Should().Be(GoldenMessage);
    }

    [Theory]
    [InlineData("\\\"quoted\\\"", "\"\\\"quoted\\\"\"")] // RFC 5424 \" -> JSON \"
    [InlineData("back\\\\slash", "\"back\\\\slash\"")] // \\ -> one backslash, JSON-escaped
    [InlineData("a\\]b", "\"a]b\"")] // \] -> ]
    [InlineData("lone\\x", "\"lone\\\\x\"")] // a backslash before anything else is literal
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("nul\u0001del\u007f", "\"nul\\u0001del\\u007f\"")]
    [InlineData("東京 ünï", "\"東京 ünï\"")] // valid UTF-8 is copied, not \u-escaped
    public void String_values_follow_the_pinned_escaping_policy(string sdValue, string expectedJson)
    {
        var (_, json) = Map(ShippedTable.Line(new Dictionary<string, string?> { ["user_agent"] = sdValue }));

        Property(json, "user_agent").Should().Be(expectedJson);
    }

    [Fact]
    public void Invalid_utf8_becomes_one_replacement_character_per_maximal_subpart_and_is_flagged()
    {
        var line = ShippedTable.Line(new Dictionary<string, string?> { ["user_agent"] = "bad-@@-##-end" });
        var bytes = Replace(line, "@@"u8, [0xC3, 0x28]); // C3 starts a 2-byte sequence; ( does not continue it
        bytes = Replace(bytes, "##"u8, [0xE6, 0x9D]); // a 3-byte sequence cut after 2 bytes (a capture len cut)

        var (result, json) = Map(bytes);

        result.Sanitized.Should().BeTrue();
        Encoding.UTF8.GetBytes(Property(json, "user_agent")).Should().Equal(
            [.. "\"bad-"u8.ToArray(), 0xEF, 0xBF, 0xBD, (byte)'(', (byte)'-', 0xEF, 0xBF, 0xBD, .. "-end\""u8.ToArray()]);
        JsonDocument.Parse(json).RootElement.GetProperty("user_agent").GetString().Should().Be("bad-\uFFFD(-\uFFFD-end");
    }

    [Theory]
    [InlineData("57", "0.057")]
    [InlineData("0", "0")]
    [InlineData("1500", "1.5")]
    [InlineData("1000", "1")]
    [InlineData("123456", "123.456")]
    [InlineData("-1", "-0.001")] // HAProxy's "no full response"
    public void Milliseconds_become_exact_seconds(string ms, string seconds)
    {
        var (_, json) = Map(ShippedTable.Line(new Dictionary<string, string?> { ["time_backend_response"] = ms }));

        Property(json, "time_firstbyte").Should().Be(seconds);
    }

    [Fact]
    public void Dt_is_converted_from_the_hosts_local_time_to_utc()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var (_, summer) = Map(ShippedTable.Line(), berlin);
        var (_, winter) = Map(ShippedTable.Line(new Dictionary<string, string?> { ["dt"] = "01/Jan/2024:00:30:00.000" }), berlin);

        Property(summer, "dt").Should().Be("\"2024-05-23T13:23:41Z\"", "CEST is UTC+2");
        Property(winter, "dt").Should().Be("\"2023-12-31T23:30:00Z\"", "CET is UTC+1 and the date rolls back");
    }

    [Fact]
    public void Absent_values_follow_each_fields_absent_rule()
    {
        var (result, json) = Map(ShippedTable.Line(new Dictionary<string, string?>
        {
            ["response_size"] = "-",
            ["referer"] = null,
            ["uri_path"] = "-",
            ["uri_query"] = "-",
            ["time_backend_response"] = "-",
        }));

        result.IsMessage.Should().BeTrue();
        Property(json, "response_size").Should().Be("0", "absent: zero");
        Property(json, "referer").Should().Be("\"-\"", "absent: dash, also when the param is missing");
        Property(json, "uri_path").Should().Be("\"/\"", "empty_to_slash");
        Property(json, "uri_query").Should().Be("\"\"", "absent: empty");
        Property(json, "time_firstbyte").Should().Be("null", "absent: null");
    }

    [Theory]
    [InlineData("server_pid", "-", Rejection.MissingRequired)]
    [InlineData("http_method", null, Rejection.MissingRequired)]
    [InlineData("sequence", "12a", Rejection.InvalidInteger)]
    [InlineData("sequence", "007", Rejection.InvalidInteger)]
    [InlineData("time_backend_response", "1.5", Rejection.InvalidNumber)]
    [InlineData("dt", "2024-05-23T15:23:41Z", Rejection.InvalidTimestamp)]
    [InlineData("dt", "31/Feb/2024:15:23:41.859", Rejection.InvalidTimestamp)]
    public void A_line_that_breaks_a_field_rule_is_rejected_naming_the_field(string field, string? value, Rejection rejection)
    {
        var mapper = ShippedTable.Mapper();
        var result = mapper.Map(ShippedTable.Line(new Dictionary<string, string?> { [field] = value }), new JsonBuffer());

        result.Rejection.Should().Be(rejection);
        mapper.FieldName(result.FieldIndex).Should().Be(field);
    }

    [Fact]
    public void A_line_from_another_schema_is_never_mapped()
    {
        Map(ShippedTable.Line(fingerprint: "0123456789abcdef")).Result.Rejection.Should().Be(Rejection.FingerprintMismatch);
        var withoutFingerprint = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(ShippedTable.Line()).Replace($" schema_fp=\"{ShippedTable.Table.Fingerprint}\"", string.Empty, StringComparison.Ordinal));
        Map(withoutFingerprint).Result.Rejection.Should().Be(Rejection.FingerprintMissing);
        Map(ShippedTable.Line(sdId: "benthoslog")).Result.Should().Match<MapResult>(r => r.Kind == LineKind.ForeignSd && r.Rejection == Rejection.SdIdMismatch);
    }

    [Fact]
    public void An_accepted_previous_fingerprint_maps_during_a_rollout()
    {
        var mapper = new LineMapper(ShippedTable.Table, "h", "text", TimeZoneInfo.Utc, ["0123456789abcdef"]);

        mapper.Map(ShippedTable.Line(fingerprint: "0123456789abcdef"), new JsonBuffer()).IsMessage.Should().BeTrue();
    }

    [Fact]
    public void The_drop_in_setting_maps_lines_without_a_fingerprint_by_name_and_still_refuses_another_schema()
    {
        var mapper = new LineMapper(ShippedTable.Table, "cp3050.esams.wmnet", "text", TimeZoneInfo.Utc, mapWithoutFingerprint: true);
        static byte[] WithoutFingerprint(byte[] line) =>
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line).Replace($" schema_fp=\"{ShippedTable.Table.Fingerprint}\"", string.Empty, StringComparison.Ordinal));
        var json = new JsonBuffer();

        var result = mapper.Map(WithoutFingerprint(ShippedTable.Line()), json);
        result.IsMessage.Should().BeTrue();
        result.WithoutFingerprint.Should().BeTrue();
        Encoding.UTF8.GetString(json.Written).Should().Be(GoldenMessage, "names decide, so the message is the one a fingerprinted line gives");

        mapper.Map(ShippedTable.Line(), json).WithoutFingerprint.Should().BeFalse("a fingerprinted line is counted as usual");
        mapper.Map(ShippedTable.Line(fingerprint: "0123456789abcdef"), json).Rejection.Should().Be(Rejection.FingerprintMismatch);
        var missingRequired = WithoutFingerprint(ShippedTable.Line(new Dictionary<string, string?> { ["http_method"] = null }));
        mapper.Map(missingRequired, json).Should().Match<MapResult>(r => r.Rejection == Rejection.MissingRequired && !r.WithoutFingerprint);
    }

    [Fact]
    public void Unknown_params_are_counted_and_ignored_and_duplicates_rejected()
    {
        var text = Encoding.UTF8.GetString(ShippedTable.Line());
        var unknown = Encoding.UTF8.GetBytes(text.Replace(" ip=", " new_field=\"x\" ip=", StringComparison.Ordinal));
        var duplicate = Encoding.UTF8.GetBytes(text.Replace(" ip=", " ip=\"1.1.1.1\" ip=", StringComparison.Ordinal));

        var (result, json) = Map(unknown);
        result.UnknownParams.Should().Be(1);
        json.Should().Be(GoldenMessage);
        Map(duplicate).Result.Rejection.Should().Be(Rejection.DuplicateParam);
    }

    [Fact]
    public void Only_the_first_element_with_the_tables_sd_id_is_mapped_and_every_element_is_validated()
    {
        var text = Encoding.UTF8.GetString(ShippedTable.Line());
        var end = text.IndexOf("\"] ", StringComparison.Ordinal) + 2;
        string With(string after) => string.Concat(text.AsSpan(0, end), after);
        var duplicate = text.Replace(" ip=", " ip=\"1.1.1.1\" ip=", StringComparison.Ordinal);
        var duplicateEnd = duplicate.IndexOf("\"] ", StringComparison.Ordinal) + 2;

        Map(Encoding.UTF8.GetBytes(With("[haproxykafka@0 server_pid=\"-\"] 1\n"))).Json.Should().Be(GoldenMessage, "a second element of the same SD-ID is not read");
        Map(Encoding.UTF8.GetBytes(With("[other@1 a=\"b"))).Result.Rejection.Should().Be(Rejection.Truncated, "a line cut after the table's element is still cut");
        Map(Encoding.UTF8.GetBytes(With("[other@1 a=b] 1\n"))).Result.Rejection.Should().Be(Rejection.Malformed);
        Map(Encoding.UTF8.GetBytes(string.Concat(duplicate.AsSpan(0, duplicateEnd), "[other@1 a=\""))).Result.Rejection.Should().Be(Rejection.Truncated, "the duplicate is a verdict on a whole line only");
    }

    [Theory]
    [InlineData("<134>1 2024-05-23T15:23:41+00:00 - haproxy 4242 - - Proxy fe started.\n", LineKind.Notice, Rejection.None)]
    [InlineData("<131>1 2024-05-23T15:23:41+00:00 - haproxy 4242 - - 127.0.0.1:5000 [23/May/2024:15:23:41.859] tls/1: SSL handshake failure\n", LineKind.Notice, Rejection.None)]
    [InlineData("<134>1 2024-05-23T15:23:41+00:00 - haproxy 4242 - - \n", LineKind.Emptied, Rejection.Emptied)]
    [InlineData("<134>1 2026-11-22T00:13:50.609430+00:00 - haproxy 984 - \n", LineKind.Emptied, Rejection.Emptied)]
    [InlineData("<134>1 2024-05-23T15:23:41+00:00 - haproxy 4242 - [haproxykafka@0 server_pid=\"42\" ip=\"1.2", LineKind.Truncated, Rejection.Truncated)]
    [InlineData("Nov 21 12:00:00 host haproxy[42]: rfc3164 line", LineKind.Malformed, Rejection.Malformed)]
    [InlineData("", LineKind.Malformed, Rejection.Malformed)]
    public void Lines_that_are_not_requests_are_classified(string line, LineKind kind, Rejection rejection)
    {
        var result = ShippedTable.Mapper().Map(Encoding.UTF8.GetBytes(line), new JsonBuffer());

        result.Kind.Should().Be(kind);
        result.Rejection.Should().Be(rejection);
    }

    [Fact]
    public void Mapping_allocates_nothing_per_line_once_warm()
    {
        var mapper = ShippedTable.Mapper();
        var buffer = new JsonBuffer();
        var line = ShippedTable.Line(new Dictionary<string, string?> { ["referer"] = "https://x/\\\"q\\\"\\]" });
        for (var i = 0; i < 100; i++)
        {
            mapper.Map(line, buffer);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            mapper.Map(line, buffer);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static (MapResult Result, string Json) Map(byte[] line, TimeZoneInfo? zone = null)
    {
        var buffer = new JsonBuffer();
        var result = ShippedTable.Mapper(zone).Map(line, buffer);
        return (result, Encoding.UTF8.GetString(buffer.Written));
    }

    /// <summary>The raw JSON text of one property, so golden comparisons see the exact bytes written.</summary>
    private static string Property(string json, string name) =>
        JsonDocument.Parse(json).RootElement.GetProperty(name).GetRawText();

    private static byte[] Replace(byte[] haystack, ReadOnlySpan<byte> needle, byte[] with)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        return [.. haystack[..at], .. with, .. haystack[(at + needle.Length)..]];
    }
}
