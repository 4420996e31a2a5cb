using HaproxyKafka.Generator.Rendering;

namespace HaproxyKafka.Generator.Drift;

/// <summary>What differs between freshly rendered artifacts and the files in a directory.</summary>
public sealed record DriftReport(IReadOnlyList<string> Changed, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, string Diff)
{
    public bool Clean => Changed.Count == 0 && Missing.Count == 0 && Unexpected.Count == 0;
}

public static class DriftCheck
{
    public static DriftReport Compare(IReadOnlyList<Artifact> rendered, string directory)
    {
        var changed = new List<string>();
        var missing = new List<string>();
        var diff = new System.Text.StringBuilder();
        foreach (var artifact in rendered)
        {
            var path = Path.Combine(directory, artifact.RelativePath);
            var onDisk = File.Exists(path) ? File.ReadAllText(path) : null;
            if (onDisk == artifact.Content)
            {
                continue;
            }

            (onDisk is null ? missing : changed).Add(artifact.RelativePath);
            diff.Append(UnifiedDiff.Render(onDisk ?? string.Empty, artifact.Content, onDisk is null ? "/dev/null" : $"a/{artifact.RelativePath}", $"b/{artifact.RelativePath}"));
        }

        // A file no template renders any more is stale too: something may still deploy it.
        var expected = rendered.Select(a => a.RelativePath).ToHashSet(StringComparer.Ordinal);
        var unexpected = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
                .Where(f => !expected.Contains(f))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        foreach (var file in unexpected)
        {
            diff.Append($"--- a/{file}\n+++ /dev/null\n(file is not generated from the schema; delete it)\n");
        }

        return new DriftReport(changed, missing, unexpected, diff.ToString());
    }
}
