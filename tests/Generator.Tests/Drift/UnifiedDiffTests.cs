using HaproxyKafka.Generator.Drift;

namespace HaproxyKafka.Generator.Tests.Drift;

public class UnifiedDiffTests
{
    [Fact]
    public void Identical_texts_have_no_diff()
    {
        UnifiedDiff.Render("a\nb\n", "a\nb\n", "a", "b").Should().BeEmpty();
    }

    [Fact]
    public void Hunks_carry_three_lines_of_context_and_correct_ranges()
    {
        var old = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}")) + "\n";
        var changed = old.Replace("line 10\n", "line ten\n");

        UnifiedDiff.Render(old, changed, "a/f", "b/f").Should().Be(
            "--- a/f\n+++ b/f\n@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11\n line 12\n line 13\n");
    }

    [Fact]
    public async Task The_output_is_accepted_by_patch()
    {
        var old = string.Join('\n', Enumerable.Range(1, 40).Select(i => $"l{i}")) + "\n";
        var changed = old.Replace("l3\n", "").Replace("l20\n", "l20\nnew\n").Replace("l39\n", "x39\n");
        using var dir = new TestSupport.TempDirectory();
        File.WriteAllText(dir.File("f"), old);
        File.WriteAllText(dir.File("p.diff"), UnifiedDiff.Render(old, changed, "a/f", "b/f"));

        var patch = await TestSupport.ExternalTool.RunAsync("patch", ["-p1", "--fuzz=0", "-i", dir.File("p.diff")], dir.Path);

        patch.ExitCode.Should().Be(0, patch.ToString());
        File.ReadAllText(dir.File("f")).Should().Be(changed);
    }

    [Fact]
    public async Task A_missing_file_becomes_a_patch_that_creates_it()
    {
        using var dir = new TestSupport.TempDirectory();
        File.WriteAllText(dir.File("p.diff"), UnifiedDiff.Render(string.Empty, "x\ny\n", "/dev/null", "b/g"));

        var patch = await TestSupport.ExternalTool.RunAsync("patch", ["-p1", "--fuzz=0", "-i", dir.File("p.diff")], dir.Path);

        patch.ExitCode.Should().Be(0, patch.ToString());
        File.ReadAllText(dir.File("g")).Should().Be("x\ny\n");
    }

    [Fact]
    public void The_last_hunk_ends_at_the_last_line()
    {
        UnifiedDiff.Render("a\nb\nc\n", "a\nb\nC\n", "a/f", "b/f").Should().Be(
            "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n b\n-c\n+C\n");
    }
}
