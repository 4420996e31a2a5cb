using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.TestSupport;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Schema.Tests.Loading;

public class ShippedSchemaTests
{
    private static readonly LogSchema Schema = SchemaLoader.LoadFile(RepoPaths.Schema).Schema!;

    [Fact]
    public void Loads_without_errors()
    {
        var result = SchemaLoader.LoadFile(RepoPaths.Schema);

        result.Diagnostics.Where(d => d.Severity == Diagnostics.Severity.Error).Should().BeEmpty();
        result.Schema.Should().NotBeNull();
    }

    [Fact]
    public void Has_the_23_production_sd_params_in_production_order()
    {
        Schema.SdId.Should().Be("haproxykafka@0");
        Schema.Fields.Select(f => f.SdParam).Should().Equal(
            "server_pid", "ip", "sequence", "dt", "time_backend_response", "http_status", "response_size",
            "termination_state", "uri_host", "referer", "user_agent", "accept_language", "range", "accept", "tls",
            "cache_status", "content_type", "x_analytics", "x_cache", "backend", "http_method", "uri_path", "uri_query");
    }

    [Fact]
    public void Capture_slots_follow_declaration_order()
    {
        Schema.Captures.Request.Select(c => (c.Slot, c.Header, c.Len)).Should().Equal(
            (0, "Host", 255), (1, "Referer", 1024), (2, "User-Agent", 1024), (3, "Accept-Language", 64),
            (4, "Range", 10), (5, "Accept", 64), (6, "X-Analytics-TLS", 96));
        Schema.Captures.Response.Select(c => (c.Slot, c.Header, c.Len)).Should().Equal(
            (0, "X-Cache-Status", 10), (1, "Content-Type", 25), (2, "X-Analytics", 96), (3, "X-Cache", 96), (4, "Server", 64));
    }

    [Fact]
    public void Logger_and_topics_match_production()
    {
        Schema.Haproxy.Socket.Should().Be("/var/run/haproxykafka/haproxykafka.sock");
        Schema.Haproxy.Len.Should().Be(8192);
        Schema.Haproxy.LogUriLen.Should().Be(2048);
        Schema.Kafka.Clusters.Should().Equal(new Dictionary<string, string>
        {
            ["text"] = "webrequest_frontend_text",
            ["upload"] = "webrequest_frontend_upload",
        });
        Schema.Kafka.DlqTopic.Should().Be("webrequest_errors");
    }

    [Fact]
    public void Json_keys_differ_from_sd_names_where_downstream_expects_it()
    {
        Schema.Fields.Single(f => f.SdParam == "time_backend_response").Should().Match<FieldSpec>(f =>
            f.JsonKey == "time_firstbyte" && f.Transform == FieldTransform.MsToSeconds && f.Type == FieldType.Number);
        Schema.Added.Select(a => (a.JsonKey, a.From)).Should().Equal(("hostname", AddedFrom.Hostname), ("webrequest_source", AddedFrom.Cluster));
    }
}
