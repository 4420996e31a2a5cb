namespace HaproxyKafka.Conformance;

/// <summary>
/// The files behind repeated <c>--haproxy-cfg</c> arguments, in the order HAProxy loads them for the same
/// <c>-f</c> arguments: a file as given, a directory as its <c>*.cfg</c> files in lexical (byte) order.
/// </summary>
public static class HaproxyConfigSources
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments) =>
        [.. arguments.SelectMany<string, string>(a => Directory.Exists(a)
            ? Directory.EnumerateFiles(a).Where(f => f.EndsWith(".cfg", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [a])];

    /// <summary>Reads and parses every file and joins them into one configuration.</summary>
    public static HaproxyConfigFile Load(IEnumerable<string> arguments) =>
        HaproxyConfigFile.Combine([.. Expand(arguments).Select(f => HaproxyConfigFile.Parse(f, File.ReadAllText(f)))]);
}
