using System.Xml.Linq;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.SchemaTool.Tests.RealTools;

/// <summary>
/// The CI job docs/conformance.md offers Puppet repositories (examples/puppet-repo/ci/conformance.sh), run as a
/// Puppet repository would: real Puppet renders haproxy.cfg and the forwarder config from hiera, the checker checks
/// everything and runs HAProxy live.
/// </summary>
public sealed class ExamplePuppetRepoTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ExamplePuppetRepoTests()
    {
        var example = Path.Combine(RepoPaths.Root, "examples", "puppet-repo");
        foreach (var file in Directory.GetFiles(example, "*", new EnumerationOptions { RecurseSubdirectories = true }))
        {
            Copy(file, Path.Combine(_dir.Path, Path.GetRelativePath(example, file)));
        }

        // The example links haproxykafka/ to this repository's schema and generated files; a real repo vendors them.
        Copy(RepoPaths.Schema, Path.Combine(_dir.Path, "haproxykafka", "schema.yaml"));
        foreach (var file in Directory.GetFiles(RepoPaths.Generated, "*", SearchOption.AllDirectories))
        {
            Copy(file, Path.Combine(_dir.Path, "haproxykafka", "generated", Path.GetRelativePath(RepoPaths.Generated, file)));
        }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_example_repository_conforms_in_every_check()
    {
        var (result, report) = await RunJobAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        report.Elements("testsuite").Select(s => (string)s.Attribute("name")!).Should().Equal(
            "haproxykafka.generated", "haproxykafka.haproxy-cfg", "haproxykafka.hiera", "haproxykafka.forwarder-config", "haproxykafka.parser-table", "haproxykafka.live");
        report.Descendants("failure").Should().BeEmpty();
    }

    [Fact]
    public async Task A_site_file_overriding_a_schema_key_fails_the_job_in_hiera_and_in_the_rendered_config()
    {
        var common = Path.Combine(_dir.Path, "hieradata", "common.yaml");
        File.AppendAllText(common, "profile::cache::haproxy::kafka_log_len: 4096\n");

        var (result, report) = await RunJobAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        var failures = report.Descendants("failure").Select(f => (Suite: (string)f.Parent!.Parent!.Attribute("name")!, Text: f.Value)).ToList();
        failures.Select(f => f.Suite).Should().BeEquivalentTo(["haproxykafka.haproxy-cfg", "haproxykafka.hiera"]);
        failures.Single(f => f.Suite.EndsWith("hiera")).Text.Should().Contain($"hieradata/common.yaml:{File.ReadAllLines(common).Length}: error: profile::cache::haproxy::kafka_log_len is '4096', the schema gives '8192'");
        failures.Single(f => f.Suite.EndsWith("haproxy-cfg")).Text.Should().MatchRegex(@"haproxy\.cfg:\d+: error: logger len 4096 is below the \d+ bytes");
    }

    private async Task<(ProcessResult Result, XElement Report)> RunJobAsync()
    {
        var checker = Path.Combine(AppContext.BaseDirectory, "haproxykafka-schema");
        var result = await ExternalTool.RunAsync("bash", ["ci/conformance.sh", "junit"], _dir.Path, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["HAPROXYKAFKA_SCHEMA"] = checker });
        return (result, XDocument.Parse(result.StdOut).Root!);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }
}
