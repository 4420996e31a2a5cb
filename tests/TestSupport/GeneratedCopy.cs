namespace HaproxyKafka.TestSupport;

/// <summary>A byte copy of the checked-in generated/ directory, for a test to edit or to check where it was vendored.</summary>
public sealed class GeneratedCopy : IDisposable
{
    private readonly TempDirectory _dir = new();

    /// <param name="relativeDirectory">Where below a scratch directory the copy goes, e.g. a Puppet module's files/.</param>
    public GeneratedCopy(string relativeDirectory = "generated")
    {
        Path = System.IO.Path.Combine(_dir.Path, relativeDirectory);
        foreach (var file in Directory.GetFiles(RepoPaths.Generated, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(RepoPaths.Generated, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            System.IO.File.Copy(file, target);
        }
    }

    public string Path { get; }

    public string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public void Edit(string relativePath, Func<string, string> edit) =>
        System.IO.File.WriteAllText(File(relativePath), edit(System.IO.File.ReadAllText(File(relativePath))));

    public void Dispose() => _dir.Dispose();
}
