using HaproxyKafka.TestSupport;

namespace HaproxyKafka.SchemaTool.Tests.Cli;

public class CliTests
{
    [Fact]
    public void Validate_the_shipped_schema_exits_0_and_reports_fingerprint_and_budget()
    {
        var result = CliRunner.Run("validate", "--schema", RepoPaths.Schema);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Should().MatchRegex("fingerprint [0-9a-f]{16}: 23 fields, 7 request and 5 response captures")
            .And.Contain("len is 8192").And.Contain("0 error(s), 1 warning(s)");
    }

    [Fact]
    public void Strict_turns_the_worst_case_len_warning_into_a_finding()
    {
        CliRunner.Run("validate", "--schema", RepoPaths.Schema, "--strict").ExitCode.Should().Be(1);
    }

    [Fact]
    public void Validate_a_broken_schema_exits_1_with_compiler_style_errors()
    {
        using var dir = new TempDirectory();
        var schema = dir.File("schema.yaml");
        File.WriteAllText(schema, File.ReadAllText(RepoPaths.Schema).Replace("{ header: Range, len: 10 }", "{ header: Range, length: 10 }"));

        var result = CliRunner.Run("validate", "--schema", schema);

        result.ExitCode.Should().Be(1);
        result.StdOut.Should().MatchRegex(@"schema\.yaml:\d+:\d+: error: unknown key 'captures\.request\.length'; did you mean 'len'\?")
            .And.MatchRegex(@"schema\.yaml:\d+:\d+: error: 'captures\.request\.len' is missing");
    }

    [Fact]
    public void A_missing_schema_file_is_reported_not_thrown()
    {
        var result = CliRunner.Run("validate", "--schema", "/nonexistent/schema.yaml");

        result.ExitCode.Should().Be(1);
        result.StdOut.Should().Contain("/nonexistent/schema.yaml:1:1: error: cannot read the schema");
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("generate", "--schema", "schema.yaml")]
    [InlineData("validate", "--schema", "x", "--bogus")]
    [InlineData("frobnicate")]
    public void Usage_errors_exit_2(params string[] args)
    {
        var result = CliRunner.Run(args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.StdErr.Should().Contain("error:").And.Contain("--help");
    }

    [Theory]
    [InlineData("validate generate", "--help")]
    [InlineData("--schema --strict", "validate", "--help")]
    [InlineData("--schema --out --check --templates", "generate", "--help")]
    public void Every_command_has_help(string mentions, params string[] args)
    {
        var result = CliRunner.Run(args);

        result.ExitCode.Should().Be(0);
        foreach (var word in mentions.Split(' '))
        {
            result.StdOut.Should().Contain(word);
        }
    }

    [Fact]
    public void Generate_refuses_an_invalid_schema_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        var schema = dir.File("schema.yaml");
        File.WriteAllText(schema, File.ReadAllText(RepoPaths.Schema).Replace("sd_id: haproxykafka@0", "sd_id: haproxykafka"));

        var result = CliRunner.Generate(schema, dir.File("out"));

        result.ExitCode.Should().Be(1);
        result.StdOut.Should().Contain("not generating");
        Directory.Exists(dir.File("out")).Should().BeFalse();
    }
}
