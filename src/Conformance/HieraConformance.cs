using System.Text.RegularExpressions;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;
using YamlDotNet.RepresentationModel;
using HaproxyKafka.Diagnostics.Yaml;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Hiera data (possibly split across files) against the hiera the generator writes: every schema-derived key
/// (<c>profile::cache::haproxy::*</c>, <c>profile::cache::haproxykafka::*</c>) must hold the generated value
/// wherever it is set. Other keys in those namespaces are the Puppet profile's own settings and are left alone.
/// </summary>
public static partial class HieraConformance
{
    public static IReadOnlyList<Finding> Check(SchemaExpectations expected, IReadOnlyList<string> files)
    {
        var want = ExpectedKeys(expected);
        var findings = new List<Finding>();
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
                if (keyNode is YamlScalarNode { Value: { } key } && want.TryGetValue(key, out var expectedValue))
                {
                    seen.Add(key);
                    Compare(expectedValue, value, key, file, expected, findings);
                }
            }
        }

        foreach (var missing in want.Keys.Where(k => !seen.Contains(k)))
        {
            findings.Add(new Finding(files[0], 1, Severity.Warning, $"'{missing}' is not set in any of the given hiera files, so the Puppet profile's default applies instead of the schema's value", $"add it from generated/{HieraFileOf(expected, missing)} (or pass the file that sets it)"));
        }

        return findings;
    }

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

    private static void Compare(YamlNode want, YamlNode have, string path, string file, SchemaExpectations expected, List<Finding> findings)
    {
        var line = (int)have.Start.Line;
        var slotNote = path.Contains("_captures[", StringComparison.Ordinal) ? " (a capture's position in the list is its HAProxy slot)" : string.Empty;
        var fix = $"copy the value from generated/{HieraFileOf(expected, path.Split('[', '.')[0])}";
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

                    Compare(w.Children[i], h.Children[i], $"{path}[{i}]", file, expected, findings);
                }

                break;
            case (YamlMappingNode w, YamlMappingNode h):
                foreach (var (key, value) in w.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    if (h.Children.TryGetValue(new YamlScalarNode(name), out var other))
                    {
                        Compare(value, other, $"{path}.{name}", file, expected, findings);
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
