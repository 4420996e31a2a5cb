using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>
/// A config read as far as it goes, for checkers: the daemon refuses a config with any error, but a check of
/// its other keys (SD-ID, socket path, topic, librdkafka aliases) is still worth doing. <see cref="Usable"/> says
/// which keys hold what the file says (present and without an error of their own), not a default.
/// </summary>
public sealed record TolerantForwarderConfig(ForwarderConfig? Config, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Usable(string key) =>
        Config is not null && Config.Locations.TryGetValue(key, out var at)
        && !Diagnostics.Any(d => d.Severity == Severity.Error && d.Location.File == at.File && d.Location.Line == at.Line);
}

public static partial class ForwarderConfigLoader
{
    /// <summary>Reads <paramref name="path"/> without stopping at the first error; the daemon uses <see cref="LoadFile"/>.</summary>
    public static TolerantForwarderConfig LoadTolerant(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new TolerantForwarderConfig(null, LoadFile(path, warnAboutAliasConflicts: false).Diagnostics);
        }

        var (config, bag) = Read(text, path, warnAboutAliasConflicts: false);
        return new TolerantForwarderConfig(config, bag.Sorted());
    }
}
