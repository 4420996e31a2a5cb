using DiffPlex;
using DiffPlex.Renderer;

namespace HaproxyKafka.Generator.Drift;

/// <summary>A line diff in the unified format `diff -u` writes and `patch` applies, rendered by DiffPlex.</summary>
public static class UnifiedDiff
{
    private static readonly UnidiffRenderer Renderer = new(contextLines: 3);

    public static string Render(string oldText, string newText, string oldName, string newName)
    {
        // DiffPlex's own line splitting counts the empty string after a final '\n' as a line, which puts a phantom
        // context line and off-by-one counts in the last hunk; chunked like this, a final newline ends a line.
        var diff = Differ.Instance.CreateCustomDiffs(oldText, newText, false, Lines);
        var unified = Renderer.Generate(diff, oldName, newName);

        // DiffPlex numbers an empty range from 1; diff -u numbers it 0, which is what makes patch create a missing
        // file ("@@ -0,0 +1,5 @@") rather than look for one.
        return oldText.Length == 0 ? unified.Replace("\n@@ -1,0 ", "\n@@ -0,0 ", StringComparison.Ordinal) : unified;
    }

    private static string[] Lines(string text)
    {
        var lines = text.Split('\n');
        return lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
