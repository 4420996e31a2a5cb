namespace HaproxyKafka.TestSupport;

/// <summary>A private scratch directory, removed on dispose. Kept short: unix socket paths are limited to 107 bytes.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("hk").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that still holds a file open only leaves a temp dir behind.
        }
    }
}
