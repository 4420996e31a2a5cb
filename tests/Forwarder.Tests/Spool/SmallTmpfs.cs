using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Spool;

/// <summary>
/// A real file system that fills up: a tmpfs of a few KiB mounted on a scratch directory, so a write meets ENOSPC
/// from the kernel, not from a fake. Mounting needs root, which the tests and CI run as; a run without it fails
/// here, saying so, rather than passing without the check.
/// </summary>
internal sealed class SmallTmpfs : IDisposable
{
    private readonly TempDirectory _mountPoint = new();

    private SmallTmpfs()
    {
    }

    public string Path => _mountPoint.Path;

    public static async Task<SmallTmpfs> MountAsync(int kibibytes)
    {
        var tmpfs = new SmallTmpfs();
        var mount = await ExternalTool.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={kibibytes}k", "tmpfs", tmpfs.Path]);
        if (mount.ExitCode != 0)
        {
            tmpfs._mountPoint.Dispose();
            throw new InvalidOperationException($"cannot mount a {kibibytes} KiB tmpfs for the disk-full test (run the tests as root, as CI does): {mount}");
        }

        return tmpfs;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        ExternalTool.RunAsync("umount", ["--lazy", Path]).GetAwaiter().GetResult();
        _mountPoint.Dispose();
    }
}
