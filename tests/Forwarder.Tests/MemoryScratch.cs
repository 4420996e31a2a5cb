namespace HaproxyKafka.Forwarder.Tests;

/// <summary>
/// A private scratch directory on tmpfs (<c>/dev/shm</c>) when the machine has one, removed on dispose. The dead-letter
/// file is fsynced per record; on a disk shared with builds that costs a test hundreds of milliseconds and says
/// nothing about the code under test.
/// </summary>
internal sealed class MemoryScratch : IDisposable
{
    private const string Tmpfs = "/dev/shm";

    public MemoryScratch()
    {
        Path = Directory.Exists(Tmpfs)
            ? Directory.CreateDirectory(System.IO.Path.Combine(Tmpfs, "hk-" + Guid.NewGuid().ToString("N")[..12])).FullName
            : Directory.CreateTempSubdirectory("hk").FullName;
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
            // Something still holds a file open: only a scratch directory is left behind.
        }
    }
}
