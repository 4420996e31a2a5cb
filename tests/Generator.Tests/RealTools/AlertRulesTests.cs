using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Generator.Tests.RealTools;

/// <summary>
/// The generated Prometheus alert rules, checked by real promtool and unit-tested with <c>promtool test rules</c>
/// (<c>alerts.test.yml</c> next to this file: every alert fires where it should and stays quiet where it should not).
/// </summary>
public class AlertRulesTests
{
    private const string RulesFile = "prometheus/haproxykafka.rules.yml";

    private static readonly string UnitTests = Path.Combine(RepoPaths.Root, "tests", "Generator.Tests", "RealTools", "alerts.test.yml");

    [Fact]
    public async Task Promtool_accepts_the_generated_rules()
    {
        var result = await ExternalTool.RunAsync("promtool", ["check", "rules", Path.Combine(RepoPaths.Generated, RulesFile)]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("SUCCESS: 19 rules found");
    }

    [Fact]
    public async Task Promtool_unit_tests_pass_on_the_rules_the_templates_render()
    {
        using var generated = new GeneratedSet(File.ReadAllText(RepoPaths.Schema));

        var result = await RunUnitTestsAsync(generated, File.ReadAllText(UnitTests));

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("SUCCESS");
    }

    [Fact]
    public async Task A_broken_expectation_fails_so_the_unit_tests_above_mean_something()
    {
        using var generated = new GeneratedSet(File.ReadAllText(RepoPaths.Schema));
        var broken = File.ReadAllText(UnitTests).Replace(
            "exp_labels: {severity: critical, job: haproxykafka, instance: 'cp1001:9341'}",
            "exp_labels: {severity: warning, job: haproxykafka, instance: 'cp1001:9341'}",
            StringComparison.Ordinal);
        broken.Should().NotBe(File.ReadAllText(UnitTests));

        var result = await RunUnitTestsAsync(generated, broken);

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.Output.Should().Contain("FAILED").And.Contain("HaproxyKafkaExporterDown");
    }

    [Fact]
    public void Every_alert_has_a_runbook_section_its_link_points_at()
    {
        var runbook = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "operations.md"));

        foreach (var rule in HaproxyKafka.Generator.Rendering.AlertRules.For(HaproxyKafka.Generator.Rendering.AlertRules.DefaultPrefix))
        {
            // GitHub's anchor of "## Name" is the name in lower case, which is what the rule links to.
            runbook.Should().Contain($"## {rule.Alert}", $"{rule.Runbook} needs its section");
            rule.Runbook.Should().Be($"docs/operations.md#{rule.Alert.ToLowerInvariant()}");
        }
    }

    /// <summary>The test file names its rule file relative to itself, so both go into one directory.</summary>
    private static async Task<ProcessResult> RunUnitTestsAsync(GeneratedSet generated, string unitTests)
    {
        var testFile = generated.Scratch.File("alerts.test.yml");
        File.WriteAllText(testFile, unitTests);
        File.Copy(Path.Combine(generated.OutDir, RulesFile), generated.Scratch.File("haproxykafka.rules.yml"));
        return await ExternalTool.RunAsync("promtool", ["test", "rules", testFile], workingDirectory: generated.Scratch.Path);
    }
}
