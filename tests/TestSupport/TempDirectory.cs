namespace HaproxyKafka.TestSupport;

/// <summary>A private scratch directory, removed on dispose. Kept short: unix socket paths are limited to 107 bytes.</summary>
public sealed class TempDirectory : IDisposable
{
    private const string Tmpfs = "/dev/shm";

    public TempDirectory()
        : this(Directory.CreateTempSubdirectory("hk").FullName)
    {
    }

    private TempDirectory(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// A scratch directory on tmpfs (<c>/dev/shm</c>) when the machine has one. The dead-letter file is fsynced per
    /// record; on a disk shared with builds that costs a test hundreds of milliseconds and says nothing about the code
    /// under test.
    /// </summary>
    public static TempDirectory InMemory() =>
        Directory.Exists(Tmpfs)
            ? new(Directory.CreateDirectory(System.IO.Path.Combine(Tmpfs, "hk-" + Guid.NewGuid().ToString("N")[..12])).FullName)
            : new();

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
