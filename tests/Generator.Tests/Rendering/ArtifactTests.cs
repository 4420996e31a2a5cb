using System.Text.Json;
using HaproxyKafka.Contract;
using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Generator.Tests.Rendering;

public class ArtifactTests
{
    private static readonly Schema.Model.LogSchema Schema = SchemaLoader.LoadFile(RepoPaths.Schema).Schema!;

    private static IReadOnlyList<Artifact> Render() =>
        ArtifactGenerator.Render(Schema, TemplateSet.Load(RepoPaths.Templates));

    [Fact]
    public void Rendering_is_deterministic()
    {
        Render().Should().BeEquivalentTo(Render(), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Every_artifact_carries_the_banner_with_the_fingerprint()
    {
        var fingerprint = Fingerprint.Of(Schema);
        foreach (var artifact in Render())
        {
            artifact.Content.Should().Contain($"from schema 'webrequest' (fingerprint {fingerprint})", artifact.RelativePath)
                .And.Contain("Do not edit; regenerate with: haproxykafka-schema generate --schema schema.yaml --out generated");
        }
    }

    [Fact]
    public void Log_format_sd_quotes_every_value_escapes_with_E_and_carries_the_fingerprint()
    {
        var sd = HaproxyFormats.LogFormatSd(Schema, "0123456789abcdef");

        sd.Should().StartWith("%{+E}o[haproxykafka@0 server_pid=\"%pid\" ip=\"%ci\" sequence=\"%rt\"")
            .And.Contain(" http_status=\"%ST\" response_size=\"%B\"")
            .And.Contain(" user_agent=\"%[capture.req.hdr(2)]\"")
            .And.Contain(" tls=\"%[capture.req.hdr(6)]\" cache_status=\"%[capture.res.hdr(0)]\"")
            .And.EndWith(" uri_query=\"%HQ\" schema_fp=\"0123456789abcdef\"]");
        sd.Should().NotContain("+Q").And.NotMatchRegex(@"(?<!capture\.)(req|res)\.hdr\(");
    }

    [Fact]
    public void Captures_use_full_value_fetches_only()
    {
        var lines = HaproxyFormats.CaptureLines(Schema.Captures);

        lines.Should().Contain("capture request header User-Agent len 1024")
            .And.Contain("declare capture request len 96")
            .And.Contain("http-request capture req.fhdr(X-Analytics-TLS) id 6");
        lines.Should().NotContain(l => l.Contains("hdr(") && !l.Contains("fhdr("));
    }

    [Fact]
    public void Parser_table_is_json_with_every_field()
    {
        var table = Render().Single(a => a.RelativePath == "forwarder/parser-table.json");

        using var json = JsonDocument.Parse(table.Content);
        var root = json.RootElement;
        root.GetProperty("sd_id").GetString().Should().Be("haproxykafka@0");
        root.GetProperty("fingerprint").GetString().Should().Be(Fingerprint.Of(Schema));
        root.GetProperty("fingerprint_param").GetString().Should().Be("schema_fp");
        var fields = root.GetProperty("fields").EnumerateArray().ToList();
        fields.Select(f => f.GetProperty("sd").GetString()).Should().Equal(Schema.Fields.Select(f => f.SdParam));
        var ttfb = fields.Single(f => f.GetProperty("sd").GetString() == "time_backend_response");
        ttfb.GetProperty("json").GetString().Should().Be("time_firstbyte");
        ttfb.GetProperty("type").GetString().Should().Be("number");
        ttfb.GetProperty("transform").GetString().Should().Be("ms_to_seconds");
        ttfb.GetProperty("required").GetBoolean().Should().BeFalse();
        fields.Single(f => f.GetProperty("sd").GetString() == "dt").GetProperty("transform").GetString().Should().Be("haproxy_date_to_utc");
        root.GetProperty("added").EnumerateArray().Select(a => a.GetProperty("from").GetString()).Should().Equal("hostname", "cluster");
    }

    [Fact]
    public void Parser_table_is_the_contract_model_with_the_banner()
    {
        var table = Render().Single(a => a.RelativePath == "forwarder/parser-table.json");

        var read = ParserTableLoader.Parse(System.Text.Encoding.UTF8.GetBytes(table.Content), "t.json");

        read.Fields.Should().Equal(ParserTableBuilder.Build(Schema).Fields);
        read.Generated.Should().Be(Banner.For("webrequest", Fingerprint.Of(Schema)).OneLine);
        table.Content.Should().EndWith("}\n");
    }

    [Fact]
    public void Artifacts_are_listed_in_path_order()
    {
        Render().Select(a => a.RelativePath).Should().BeInAscendingOrder(StringComparer.Ordinal)
            .And.Contain(["forwarder/parser-table.json", "haproxy/global.cfg", "puppet/hieradata/profile_cache_haproxy.yaml"]);
    }

    [Fact]
    public void Hiera_strings_survive_hiera_interpolation()
    {
        HieraText.Quote("%{+E}o[x a=\"%pid\"] it's").Should().Be("'%{literal(\"%\")}{+E}o[x a=\"%pid\"] it''s'");
    }
}
