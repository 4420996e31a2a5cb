using System.Text;
using DiffPlex;

namespace HaproxyKafka.Generator.Drift;

/// <summary>Renders a line diff (computed by DiffPlex) in the unified format that `diff -u` and `git apply` read.</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    public static string Render(string oldText, string newText, string oldName, string newName)
    {
        var oldLines = SplitLines(oldText);
        var newLines = SplitLines(newText);
        // Chunk with the same splitter as the printed lines, so block indices and lines always agree.
        var blocks = new Differ().CreateCustomDiffs(oldText, newText, false, text => [.. SplitLines(text)]).DiffBlocks;
        if (blocks.Count == 0)
        {
            return string.Empty;
        }

        var output = new StringBuilder();
        output.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');

        var i = 0;
        while (i < blocks.Count)
        {
            // Merge blocks whose context would overlap into one hunk, as diff -u does.
            var j = i;
            while (j + 1 < blocks.Count && blocks[j + 1].DeleteStartA - (blocks[j].DeleteStartA + blocks[j].DeleteCountA) <= 2 * Context)
            {
                j++;
            }

            var startA = Math.Max(0, blocks[i].DeleteStartA - Context);
            var startB = Math.Max(0, blocks[i].InsertStartB - Context);
            var endA = Math.Min(oldLines.Count, blocks[j].DeleteStartA + blocks[j].DeleteCountA + Context);
            var endB = Math.Min(newLines.Count, blocks[j].InsertStartB + blocks[j].InsertCountB + Context);
            output.Append($"@@ -{startA + 1},{endA - startA} +{startB + 1},{endB - startB} @@\n");

            var a = startA;
            for (var k = i; k <= j; k++)
            {
                var block = blocks[k];
                for (; a < block.DeleteStartA; a++)
                {
                    output.Append(' ').Append(oldLines[a]).Append('\n');
                }

                for (var d = 0; d < block.DeleteCountA; d++)
                {
                    output.Append('-').Append(oldLines[block.DeleteStartA + d]).Append('\n');
                }

                for (var n = 0; n < block.InsertCountB; n++)
                {
                    output.Append('+').Append(newLines[block.InsertStartB + n]).Append('\n');
                }

                a = block.DeleteStartA + block.DeleteCountA;
            }

            for (; a < endA; a++)
            {
                output.Append(' ').Append(oldLines[a]).Append('\n');
            }

            i = j + 1;
        }

        return output.ToString();
    }

    private static List<string> SplitLines(string text)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
