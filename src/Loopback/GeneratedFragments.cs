namespace HaproxyKafka.Loopback;

/// <summary>The three HAProxy fragments the generator writes (haproxy/global.cfg, log-format.cfg, captures.cfg).</summary>
public sealed record GeneratedFragments(string Global, string LogFormat, string Captures)
{
    public static GeneratedFragments FromDirectory(string generatedDirectory) => new(
        File.ReadAllText(Path.Combine(generatedDirectory, "haproxy", "global.cfg")),
        File.ReadAllText(Path.Combine(generatedDirectory, "haproxy", "log-format.cfg")),
        File.ReadAllText(Path.Combine(generatedDirectory, "haproxy", "captures.cfg")));
}
