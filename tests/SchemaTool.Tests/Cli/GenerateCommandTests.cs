using HaproxyKafka.TestSupport;

namespace HaproxyKafka.SchemaTool.Tests.Cli;

public class GenerateCommandTests
{
    private static Dictionary<string, byte[]> Files(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllBytes);

    [Fact]
    public void The_bytes_do_not_depend_on_the_output_directory()
    {
        using var dir = new TempDirectory();
        CliRunner.Generate(RepoPaths.Schema, dir.File("generated")).ExitCode.Should().Be(0);
        CliRunner.Generate(RepoPaths.Schema, dir.File("modules/profile/files/haproxykafka")).ExitCode.Should().Be(0);

        var first = Files(dir.File("generated"));
        var second = Files(dir.File("modules/profile/files/haproxykafka"));

        first.Keys.Should().BeEquivalentTo(second.Keys).And.HaveCount(11);
        foreach (var (file, bytes) in first)
        {
            second[file].Should().Equal(bytes, file);
        }

        System.Text.Encoding.UTF8.GetString(second["haproxy/global.cfg"]).Should()
            .Contain("# Do not edit; regenerate with: haproxykafka-schema generate --schema schema.yaml --out generated\n")
            .And.NotContain("haproxykafka\n").And.NotContain(dir.Path);
    }

    [Fact]
    public void Check_passes_on_a_copy_vendored_into_a_puppet_module()
    {
        using var vendored = new GeneratedCopy("modules/profile/files/haproxykafka");

        var check = CliRunner.Run("check", "--schema", RepoPaths.Schema, "--generated", vendored.Path);
        var drift = CliRunner.Generate(RepoPaths.Schema, vendored.Path, check: true);

        check.ExitCode.Should().Be(0, check.ToString());
        drift.ExitCode.Should().Be(0, drift.ToString());
    }

    [Fact]
    public void A_broken_template_is_reported_at_its_line_and_column_and_exits_2()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(RepoPaths.Templates, "banner.sbn"), dir.File("banner.sbn"));
        Directory.CreateDirectory(dir.File("haproxy"));
        File.WriteAllText(dir.File("haproxy/global.cfg.sbn"), "{{ include 'banner' '#' ~}}\nlog {{ haproxy.socket\n{{ end }}\n");

        var result = CliRunner.Run("generate", "--schema", RepoPaths.Schema, "--out", dir.File("out"), "--templates", dir.Path);

        result.ExitCode.Should().Be(2, result.ToString());
        result.StdOut.Should().MatchRegex(@"haproxy/global\.cfg\.sbn:[23]:\d+: error: ");
        Directory.Exists(dir.File("out")).Should().BeFalse();
    }
}
