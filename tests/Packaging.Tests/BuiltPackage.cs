using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Packaging.Tests;

/// <summary>
/// <c>scripts/package</c> run once for every test in the collection (publishing two self-contained applications
/// takes minutes), then installed with real <c>dpkg -i</c> into a scratch root: its own admin directory, maintainer
/// scripts run chroot-less with <c>DPKG_ROOT</c> set, so the machine's own dpkg database and /etc stay untouched.
/// Dependencies are not installed in the scratch root (its database is empty), so only they are forced.
/// </summary>
public sealed class BuiltPackage : IAsyncLifetime
{
    private readonly TempDirectory _scratch = new();

    public string Deb { get; private set; } = string.Empty;

    public string Root => Path.Combine(_scratch.Path, "root");

    public ProcessResult Install { get; private set; } = null!;

    public const string Version = "0.1.0+test";

    public async Task InitializeAsync()
    {
        var build = await ExternalTool.RunAsync(Path.Combine(RepoPaths.Root, "scripts", "package"), ["--out", _scratch.Path, "--version", Version], RepoPaths.Root, TimeSpan.FromMinutes(20));
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/package failed:\n{build}");
        }

        Deb = build.StdOut.Trim().Split('\n')[^1];
        var admin = Path.Combine(Root, "var", "lib", "dpkg");
        Directory.CreateDirectory(Path.Combine(admin, "info"));
        Directory.CreateDirectory(Path.Combine(admin, "updates"));
        File.WriteAllText(Path.Combine(admin, "status"), string.Empty);
        Install = await Dpkg("--force-script-chrootless", "--force-depends", "-i", Deb);
    }

    /// <summary>dpkg on the scratch root (its database and log there), as root or not.</summary>
    public Task<ProcessResult> Dpkg(params string[] arguments) =>
        ExternalTool.RunAsync("dpkg", [$"--root={Root}", $"--log={Path.Combine(_scratch.Path, "dpkg.log")}", "--force-not-root", .. arguments], timeout: TimeSpan.FromMinutes(5));

    public string Installed(string path) => Path.Combine(Root, path.TrimStart('/'));

    public Task DisposeAsync()
    {
        _scratch.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<BuiltPackage>
{
    public const string Name = "package";
}
