using HaproxyKafka.TestSupport;

namespace HaproxyKafka.SchemaTool.Tests.Cli;

/// <summary>
/// <c>check</c> on production's deployed layout (tests/Conformance.Tests/corpus/production): haproxy.cfg plus the
/// conf.d directory as one configuration, the forwarder config production renders, and production's hiera names.
/// </summary>
public class ProductionLayoutTests
{
    private static readonly string Production = Path.Combine(RepoPaths.Root, "tests", "Conformance.Tests", "corpus", "production");

    private static ProcessResult Check(params string[] extra) =>
        CliRunner.Run(["check", "--schema", RepoPaths.Schema, "--templates", RepoPaths.Templates, .. extra]);

    [Fact]
    public void A_file_and_a_directory_are_one_configuration_with_findings_in_each_real_file()
    {
        var cfg = Path.Combine(Production, "head", "haproxy.cfg");
        var confd = Path.Combine(Production, "head", "conf.d");

        var result = Check("--haproxy-cfg", cfg, "--haproxy-cfg", confd);

        result.ExitCode.Should().Be(1, result.StdErr);
        var tls = Path.Combine(confd, "tls.cfg");
        result.StdOut.Should().Contain($"{cfg}:{TextPosition.LineOf(File.ReadAllText(cfg), "log-format-sd")}: error: log-format-sd lacks parameter 'schema_fp'")
            .And.Contain($"{tls}:{TextPosition.LineOf(File.ReadAllText(tls), "http-after-response capture hdr(X-Cache-Status)")}: error: response capture slot 0 of frontend 'http' uses a hdr() fetch")
            .And.Contain("2 file(s) as one configuration")
            .And.NotContain("no global logger").And.NotContain("no frontend or listen");
    }

    [Fact]
    public void Production_forwarder_config_and_hiera_are_checked_although_the_config_does_not_load()
    {
        var result = Check(
            "--forwarder-config", Path.Combine(Production, "config.yaml"),
            "--hiera", Path.Combine(Production, "hiera", "cp3066.yaml"),
            "--hiera-keys", Path.Combine(RepoPaths.Root, "examples", "wikimedia", "hiera-keys.yaml"));

        result.ExitCode.Should().Be(1, result.StdErr);
        result.StdOut.Should().Contain("sets 'request.required.acks' 2 times")
            .And.Contain("parser_table")
            .And.Contain("1 schema value(s) are set in none of the given hiera files")
            .And.NotContain("log_length is");
    }

    [Fact]
    public void A_missing_directory_still_cannot_be_checked()
    {
        var result = Check("--haproxy-cfg", Path.Combine(Production, "no-such-dir"));

        result.ExitCode.Should().Be(2);
        result.StdErr.Should().Contain("no-such-dir").And.Contain("no such file or directory");
    }
}
