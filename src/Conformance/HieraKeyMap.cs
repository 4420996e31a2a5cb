using HaproxyKafka.Diagnostics;
using HaproxyKafka.Diagnostics.Yaml;
using YamlDotNet.RepresentationModel;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Which hiera key of a site carries which schema value (<c>--hiera-keys FILE</c>): a YAML mapping from the key
/// the generator writes to the site's key, or to <c>null</c> when the site does not keep that value in hiera
/// (its template writes it, so the haproxy.cfg check covers it). Keys not listed keep their generated name.
/// </summary>
public sealed record HieraKeyMap(string? File, IReadOnlyDictionary<string, (string? SiteKey, int Line)> Entries)
{
    public static HieraKeyMap Generated { get; } = new(null, new Dictionary<string, (string?, int)>());

    /// <summary>The key a site sets for <paramref name="generatedKey"/>; null when it keeps it out of hiera.</summary>
    public string? SiteKey(string generatedKey) => Entries.TryGetValue(generatedKey, out var entry) ? entry.SiteKey : generatedKey;

    public bool IsOutOfHiera(string generatedKey) => Entries.TryGetValue(generatedKey, out var entry) && entry.SiteKey is null;

    public int LineOf(string generatedKey) => Entries.TryGetValue(generatedKey, out var entry) ? entry.Line : 1;

    /// <summary>Reads the mapping; a malformed entry or a key the generator does not write is a finding.</summary>
    public static HieraKeyMap Load(string file, IReadOnlyCollection<string> generatedKeys, List<Finding> findings)
    {
        var bag = new DiagnosticBag();
        var root = YamlRoot.Parse(System.IO.File.ReadAllText(file), file, bag, "hiera key mapping", "write one 'generated key: site key' per line, e.g. 'profile::cache::haproxy::kafka_log_len: profile::cache::haproxy::log_length'");
        findings.AddRange(bag.Items.Select(Finding.From));
        var entries = new Dictionary<string, (string?, int)>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in root?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            var line = (int)keyNode.Start.Line;
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!generatedKeys.Contains(key))
            {
                findings.Add(new Finding(file, line, Severity.Error, $"'{key}' is not a key the generator writes, so mapping it changes nothing", $"use one of {string.Join(", ", generatedKeys.Order(StringComparer.Ordinal))}"));
                continue;
            }

            if (value is not YamlScalarNode scalar)
            {
                findings.Add(new Finding(file, line, Severity.Error, $"'{key}' maps to a {(value is YamlSequenceNode ? "list" : "mapping")}, not a hiera key name", $"write '{key}: SITE_KEY', or '{key}: null' if the site keeps it out of hiera"));
                continue;
            }

            var site = scalar.Value is null or "" or "~" or "null" && scalar.Style == YamlDotNet.Core.ScalarStyle.Plain ? null : scalar.Value;
            entries[key] = (site, line);
        }

        return new HieraKeyMap(file, entries);
    }
}
