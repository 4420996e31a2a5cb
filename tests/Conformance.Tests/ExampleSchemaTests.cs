using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

/// <summary>examples/webrequest-var-layout: the newer production layout as a schema, and a config in that shape.</summary>
public class ExampleSchemaTests
{
    private static readonly Schema.Model.LogSchema VarLayout = SchemaLoader.LoadFile(Path.Combine(RepoPaths.Root, "examples", "webrequest-var-layout", "schema.yaml")).Schema!;

    private static HaproxyConfigFile Config(Func<string, string>? edit = null)
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "Conformance.Tests", "corpus", "production", "var-layout");
        var main = File.ReadAllText(Path.Combine(dir, "haproxy.cfg")).Replace("@EXAMPLE_FP@", Fingerprint.Of(VarLayout), StringComparison.Ordinal);
        var tls = Path.Combine(dir, "conf.d", "tls.cfg");
        var empty = new Dictionary<string, string>();
        return HaproxyConfigFile.Combine([HaproxyConfigFile.Parse("haproxy.cfg", (edit ?? (t => t))(main), empty), HaproxyConfigFile.Parse("conf.d/tls.cfg", File.ReadAllText(tls), empty)]);
    }

    [Fact]
    public void A_config_in_the_newer_layout_conforms_to_the_example_schema()
    {
        HaproxyConformance.Check(VarLayout, Config()).Should().BeEmpty();
    }

    [Fact]
    public void The_same_config_does_not_conform_to_the_2024_schema()
    {
        var findings = HaproxyConformance.Check(Corpus.Schema, Config());

        findings.Should().Contain(f => f.Message.Contains("parameter 'tls' is '%[var(txn.tls)]'"))
            .And.Contain(f => f.Message.Contains("('Accept-Language') has len 1024, the schema 64") && f.File == "conf.d/tls.cfg");
    }

    [Fact]
    public void A_response_field_read_from_a_capture_instead_of_its_variable_is_drift()
    {
        var findings = HaproxyConformance.Check(VarLayout, Config(t => t.ReplaceOnce("content_type=\\\"%[var(txn.content_type)]\\\"", "content_type=\\\"%[capture.res.hdr(0)]\\\"")));

        findings.Should().ContainSingle().Which.Message.Should().Contain("parameter 'content_type' is '%[capture.res.hdr(0)]' (slot 0 holds 'X-Cache-Status'), the schema reads '%[var(txn.content_type)]'");
    }
}
