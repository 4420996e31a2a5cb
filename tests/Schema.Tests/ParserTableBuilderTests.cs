using HaproxyKafka.Contract;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Tests;

public class ParserTableBuilderTests
{
    private static LogSchema Load(string text) => SchemaLoader.Load(text, SchemaText.File).Schema!;

    [Fact]
    public void Every_field_becomes_a_row_in_schema_order_with_its_spelling_and_source()
    {
        var schema = Load(SchemaText.Valid);

        var table = ParserTableBuilder.Build(schema);

        table.Fields.Select(f => f.Sd).Should().Equal("pid", "status", "agent", "ctype", "path", "query", "dt", "ttfb");
        table.Fields[2].Should().Be(new ParserTableField("agent", "user_agent", FieldType.String, FieldTransform.None, false, AbsentValue.Dash, "%[capture.req.hdr(1)]"));
        table.Fields[3].Source.Should().Be("%[capture.res.hdr(0)]");
        table.Fields[7].Should().Be(new ParserTableField("ttfb", "ttfb", FieldType.Number, FieldTransform.MsToSeconds, false, AbsentValue.Null, "%Tr"));
        table.Added.Should().Equal(new ParserTableAdded("hostname", AddedFrom.Hostname));
    }

    [Fact]
    public void The_table_carries_the_schema_identity_and_topics()
    {
        var schema = Load(SchemaText.Valid);

        var table = ParserTableBuilder.Build(schema);

        (table.Schema, table.Fingerprint, table.FingerprintParam, table.SdId, table.DlqTopic)
            .Should().Be(("test", Fingerprint.Of(schema), "schema_fp", "hk@0", "topic_errors"));
        table.Clusters.Should().Equal(new Dictionary<string, string> { ["text"] = "topic_text" });
        table.ClusterOf("topic_text").Should().Be("text");
    }

    [Fact]
    public void Reordering_captures_moves_the_slot_in_the_source()
    {
        var swapped = SchemaText.Replace(
            "    - { header: Host, len: 64 }\n    - { header: User-Agent, len: 128 }",
            "    - { header: User-Agent, len: 128 }\n    - { header: Host, len: 64 }");

        var table = ParserTableBuilder.Build(Load(swapped));

        table.Fields.Single(f => f.Sd == "agent").Source.Should().Be("%[capture.req.hdr(0)]");
    }

    [Fact]
    public void A_variable_source_reads_the_variable()
    {
        var text = SchemaText.Replace(
            "  - { sd: status, source: \"%ST\", type: string }",
            "  - { sd: status, source: \"%ST\", type: string }\n  - { sd: tls, source: \"var(txn.tls)\", type: string, max_length: 96 }");

        var table = ParserTableBuilder.Build(Load(text));

        table.Fields.Single(f => f.Sd == "tls").Source.Should().Be("%[var(txn.tls)]");
    }
}
