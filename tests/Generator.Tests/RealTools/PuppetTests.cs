using System.Text.RegularExpressions;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Generator.Tests.RealTools;

/// <summary>
/// Puppet-managed hosts must get the same bytes as the generator writes directly: each generated EPP is rendered by
/// real Puppet with its values looked up by real hiera from the generated hiera data.
/// </summary>
public partial class PuppetTests
{
    public static TheoryData<string, string> Fragments => new()
    {
        { "haproxy_global.epp", "haproxy/global.cfg" },
        { "haproxy_log_format.epp", "haproxy/log-format.cfg" },
        { "haproxy_captures.epp", "haproxy/captures.cfg" },
    };

    [Fact]
    public async Task Puppet_validates_every_generated_epp()
    {
        var templates = Directory.GetFiles(Path.Combine(RepoPaths.Generated, "puppet/templates"), "*.epp");
        templates.Should().HaveCount(3);

        var result = await ExternalTool.RunAsync("puppet", ["epp", "validate", .. templates]);

        result.ExitCode.Should().Be(0, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Fragments))]
    public async Task Epp_rendered_from_hiera_is_byte_identical_to_the_generated_fragment(string epp, string fragment)
    {
        using var dir = new TempDirectory();
        var hieraConfig = WriteHieraConfig(dir);
        var template = Path.Combine(RepoPaths.Generated, "puppet/templates", epp);

        // The EPP's parameters are named after the hiera keys, so the lookups follow from the template itself.
        var parameters = ParameterPattern().Matches(File.ReadAllText(template).Split("| -%>")[0]).Select(m => m.Groups[1].Value).ToList();
        parameters.Should().NotBeEmpty();
        var values = "{" + string.Join(", ", parameters.Select(p => $"{p} => lookup('profile::cache::haproxy::{p}')")) + "}";

        var result = await ExternalTool.RunAsync("puppet", ["epp", "render", template, .. PrivateDirs(dir), "--hiera_config", hieraConfig, "--values", values]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Should().Be(File.ReadAllText(Path.Combine(RepoPaths.Generated, fragment)));
    }

    [Fact]
    public async Task Forwarder_hiera_data_resolves_to_the_schema_values()
    {
        using var dir = new TempDirectory();
        var hieraConfig = WriteHieraConfig(dir);

        var result = await ExternalTool.RunAsync("puppet", ["epp", "render", "-e", "<%= [lookup('profile::cache::haproxykafka::sdid'), lookup('profile::cache::haproxykafka::socket')['path'], lookup('profile::cache::haproxykafka::kafka_topics')['upload'], lookup('profile::cache::haproxykafka::kafka_dlq_topic')].join('|') %>", .. PrivateDirs(dir), "--hiera_config", hieraConfig]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.TrimEnd('\n').Should().Be("haproxykafka@0|/var/run/haproxykafka/haproxykafka.sock|webrequest_frontend_upload|webrequest_errors");
    }

    private static string[] PrivateDirs(TempDirectory dir) =>
        ["--confdir", dir.File("conf"), "--vardir", dir.File("var"), "--codedir", dir.File("code"), "--logdir", dir.File("log")];

    private static string WriteHieraConfig(TempDirectory dir)
    {
        var path = dir.File("hiera.yaml");
        File.WriteAllText(path, $"""
            ---
            version: 5
            defaults:
              datadir: {Path.Combine(RepoPaths.Generated, "puppet/hieradata")}
              data_hash: yaml_data
            hierarchy:
              - name: generated
                paths: ["profile_cache_haproxy.yaml", "profile_cache_haproxykafka.yaml"]
            """);
        return path;
    }

    [GeneratedRegex(@"\$([a-z_]+),")]
    private static partial Regex ParameterPattern();
}
