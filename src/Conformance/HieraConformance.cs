using System.Text.RegularExpressions;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;
using YamlDotNet.RepresentationModel;
using HaproxyKafka.Diagnostics.Yaml;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Hiera data (possibly split across files) against the hiera the generator writes: every schema-derived key
/// (<c>profile::cache::haproxy::*</c>, <c>profile::cache::haproxykafka::*</c>) must hold the generated value
/// wherever it is set, under the site's own key name when a <see cref="HieraKeyMap"/> says so. Other keys in those
/// namespaces are the Puppet profile's own settings and are left alone.
/// </summary>
public static partial class HieraConformance
{
    public static IReadOnlyList<Finding> Check(SchemaExpectations expected, IReadOnlyList<string> files) =>
        Check(expected, files, null).Findings;

    /// <param name="keyMap">The site's <c>--hiera-keys</c> file; null when the site uses the generated key names.</param>
    public static (IReadOnlyList<Finding> Findings, string Covered) Check(SchemaExpectations expected, IReadOnlyList<string> files, string? keyMap)
    {
        var generated = ExpectedKeys(expected);
        var findings = new List<Finding>();
        var map = keyMap is null ? HieraKeyMap.Generated : HieraKeyMap.Load(keyMap, generated.Keys, findings);

        // Site key -> (generated key, expected value); values the site keeps out of hiera are not looked for.
        var want = generated.Where(g => map.SiteKey(g.Key) is not null)
            .ToDictionary(g => map.SiteKey(g.Key)!, g => (Generated: g.Key, Value: g.Value), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var bag = new DiagnosticBag();
            var root = YamlRoot.Parse(File.ReadAllText(file), file, bag, "hiera file", "hiera data files are YAML mappings of key: value");
            findings.AddRange(bag.Items.Select(Finding.From));
            if (root is null)
            {
                continue;
            }

            foreach (var (keyNode, value) in root.Children)
            {
                if (keyNode is YamlScalarNode { Value: { } key } && want.TryGetValue(key, out var entry))
                {
                    seen.Add(key);
                    Compare(entry.Value, value, key, file, expected, findings, entry.Generated);
                }
            }
        }

        // One note for every schema value no file sets: the class default applies, which may or may not be the
        // schema's. It is at the mapping's line for the first such key when there is one, else at the first file.
        var unset = want.Where(w => !seen.Contains(w.Key)).ToList();
        if (unset.Count > 0)
        {
            var first = unset[0].Value.Generated;
            var (file, line) = map.File is { } m && map.Entries.ContainsKey(first) ? (m, map.LineOf(first)) : (files[0], 1);
            var names = string.Join(", ", unset.Select(u => u.Key == u.Value.Generated ? $"'{u.Key}'" : $"'{u.Key}' (the schema's {ShortName(u.Value.Generated)}{(map.File is null ? string.Empty : $", {map.File}:{map.LineOf(u.Value.Generated)}")})"));
            findings.Add(new Finding(file, line, Severity.Warning, $"{unset.Count} schema value(s) are set in none of the given hiera files, so the Puppet class defaults apply instead: {names}", "pass the hiera file that sets them, map the site's key names with --hiera-keys, or map a value the site's templates write to null"));
        }

        var outOfHiera = generated.Keys.Count(map.IsOutOfHiera);
        var covered = $"{want.Count} schema-derived key(s){(map.File is null ? string.Empty : $" under the site's names from {map.File}; {outOfHiera} kept out of hiera by the mapping")}";
        return (findings, covered);
    }

    private static string ShortName(string key) => key[(key.LastIndexOf("::", StringComparison.Ordinal) + 2)..];

    private static Dictionary<string, YamlNode> ExpectedKeys(SchemaExpectations expected)
    {
        var keys = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var artifact in expected.Hiera)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(artifact.Content));
            foreach (var (key, value) in (YamlMappingNode)stream.Documents[0].RootNode)
            {
                keys[((YamlScalarNode)key).Value!] = value;
            }
        }

        return keys;
    }

    private static string HieraFileOf(SchemaExpectations expected, string key) =>
        expected.Hiera.First(a => a.Content.Contains(key + ":", StringComparison.Ordinal)).RelativePath;

    private static void Compare(YamlNode want, YamlNode have, string path, string file, SchemaExpectations expected, List<Finding> findings, string generatedKey)
    {
        var line = (int)have.Start.Line;
        var slotNote = generatedKey.EndsWith("_captures", StringComparison.Ordinal) ? " (a capture's position in the list is its HAProxy slot)" : string.Empty;
        var fix = path.Split('[', '.')[0] == generatedKey
            ? $"copy the value from generated/{HieraFileOf(expected, generatedKey)}"
            : $"copy the value of {generatedKey} from generated/{HieraFileOf(expected, generatedKey)}";
        switch (want, have)
        {
            case (YamlScalarNode w, YamlScalarNode h):
                var wanted = Interpolated(w.Value ?? string.Empty);
                var actual = h.Value ?? string.Empty;
                if (HieraInterpolation().Matches(actual).FirstOrDefault(m => !m.Value.StartsWith("%{literal(", StringComparison.Ordinal)) is { } lookup)
                {
                    findings.Add(new Finding(file, line, Severity.Error, $"{path} contains '{lookup.Value}', which hiera interpolates as a variable lookup, so HAProxy never sees it", "write a literal '%' as %{literal(\"%\")}, as the generated hiera does"));
                }
                else if (Interpolated(actual) != wanted)
                {
                    findings.Add(new Finding(file, line, Severity.Error, $"{path} {Difference(Interpolated(actual), wanted)}{slotNote}", fix));
                }

                break;
            case (YamlSequenceNode w, YamlSequenceNode h):
                for (var i = 0; i < Math.Max(w.Children.Count, h.Children.Count); i++)
                {
                    if (i >= h.Children.Count)
                    {
                        findings.Add(new Finding(file, line, Severity.Error, $"{path} has {h.Children.Count} entries, the schema {w.Children.Count}: entry {i} is missing{slotNote}", fix));
                        break;
                    }

                    if (i >= w.Children.Count)
                    {
                        findings.Add(new Finding(file, (int)h.Children[i].Start.Line, Severity.Error, $"{path}[{i}] is not in the schema{slotNote}", fix));
                        break;
                    }

                    Compare(w.Children[i], h.Children[i], $"{path}[{i}]", file, expected, findings, generatedKey);
                }

                break;
            case (YamlMappingNode w, YamlMappingNode h):
                foreach (var (key, value) in w.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    if (h.Children.TryGetValue(new YamlScalarNode(name), out var other))
                    {
                        Compare(value, other, $"{path}.{name}", file, expected, findings, generatedKey);
                    }
                    else
                    {
                        findings.Add(new Finding(file, line, Severity.Error, $"{path} lacks '{name}'{slotNote}", fix));
                    }
                }

                break;
            default:
                findings.Add(new Finding(file, line, Severity.Error, $"{path} is a {Kind(have)}, the schema gives a {Kind(want)}", fix));
                break;
        }
    }

    /// <summary>What Puppet gets from hiera: <c>%{literal("%")}</c> becomes <c>%</c>.</summary>
    private static string Interpolated(string value) => LiteralPercent().Replace(value, "%");

    /// <summary>Short values in full; long ones (log formats) from where they start to differ.</summary>
    private static string Difference(string actual, string wanted)
    {
        if (actual.Length <= 80 && wanted.Length <= 80)
        {
            return $"is '{actual}', the schema gives '{wanted}'";
        }

        var at = 0;
        while (at < actual.Length && at < wanted.Length && actual[at] == wanted[at])
        {
            at++;
        }

        var from = Math.Max(0, at - 20);
        string Excerpt(string s) => s[from..Math.Min(s.Length, at + 40)];
        return $"differs from the schema's value at character {at + 1}: '...{Excerpt(actual)}...' where the schema has '...{Excerpt(wanted)}...'";
    }

    private static string Kind(YamlNode node) => node switch
    {
        YamlScalarNode => "scalar",
        YamlSequenceNode => "list",
        _ => "mapping",
    };

    [GeneratedRegex("""%\{literal\((["'])%\1\)\}""")]
    private static partial Regex LiteralPercent();

    [GeneratedRegex(@"%\{[^}]*\}")]
    private static partial Regex HieraInterpolation();
}
