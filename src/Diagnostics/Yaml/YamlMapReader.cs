using System.Globalization;
using HaproxyKafka.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HaproxyKafka.Diagnostics.Yaml;

/// <summary>
/// Reads one YAML mapping against a fixed set of keys, reporting wrong types, missing keys and unknown keys (with
/// a "did you mean") into a shared bag instead of throwing, so one run reports every mistake.
/// </summary>
public sealed class YamlMapReader
{
    private readonly YamlMappingNode _node;
    private readonly string _path;
    private readonly string _file;
    private readonly DiagnosticBag _bag;
    private readonly HashSet<string> _known;

    public YamlMapReader(YamlMappingNode node, string path, string file, DiagnosticBag bag, params string[] knownKeys)
    {
        _node = node;
        _path = path;
        _file = file;
        _bag = bag;
        _known = new HashSet<string>(knownKeys, StringComparer.Ordinal);
        ReportUnknownKeys(knownKeys);
    }

    public SourceLocation Location => At(_node);

    public SourceLocation At(YamlNode node) => new(_file, (int)node.Start.Line, (int)node.Start.Column);

    public SourceLocation KeyLocation(string key) =>
        Key(key) is { } k ? At(k) : Location;

    public YamlNode? Node(string key)
    {
        EnsureKnown(key);
        return Key(key) is { } k ? _node.Children[k] : null;
    }

    /// <summary>A scalar value; YAML null (<c>~</c>, <c>null</c>, nothing) counts as not given, so defaults apply.</summary>
    public string? String(string key, bool required, string hint)
    {
        var node = Node(key);
        if (node is null || (node is YamlScalarNode s && IsNull(s)))
        {
            if (required)
            {
                _bag.Error(Location, $"'{Qualified(key)}' is missing", $"add '{key}: {hint}'");
            }

            return null;
        }

        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        _bag.Error(At(node), $"'{Qualified(key)}' must be a single value", $"write it as '{key}: {hint}'");
        return null;
    }

    public int? Int(string key, bool required, string hint)
    {
        var text = String(key, required, hint);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        _bag.Error(At(Node(key)!), $"'{Qualified(key)}' is '{text}', not a whole number", $"write a number, e.g. '{key}: {hint}'");
        return null;
    }

    public bool? Bool(string key)
    {
        var text = String(key, required: false, hint: "true");
        if (text is null)
        {
            return null;
        }

        switch (text)
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                _bag.Error(At(Node(key)!), $"'{Qualified(key)}' is '{text}', not true or false", $"write '{key}: true' or '{key}: false'");
                return null;
        }
    }

    public YamlMapReader? Map(string key, bool required, params string[] knownKeys)
    {
        var node = Node(key);
        if (node is null)
        {
            if (required)
            {
                _bag.Error(Location, $"section '{Qualified(key)}' is missing", $"add a '{key}:' mapping with {string.Join(", ", knownKeys)}");
            }

            return null;
        }

        if (node is YamlMappingNode map)
        {
            return new YamlMapReader(map, Qualified(key), _file, _bag, knownKeys);
        }

        _bag.Error(At(node), $"'{Qualified(key)}' must be a mapping of keys to values", $"indent {string.Join(", ", knownKeys)} under '{key}:'");
        return null;
    }

    public IReadOnlyList<YamlNode> Sequence(string key, bool required, string hint)
    {
        var node = Node(key);
        if (node is null)
        {
            if (required)
            {
                _bag.Error(Location, $"list '{Qualified(key)}' is missing", $"add '{key}:' with {hint}");
            }

            return [];
        }

        if (node is YamlSequenceNode seq)
        {
            return seq.Children.ToList();
        }

        _bag.Error(At(node), $"'{Qualified(key)}' must be a list", $"write each entry on its own '- ' line under '{key}:' ({hint})");
        return [];
    }

    /// <summary>A mapping's entries in file order, for maps whose keys are data (cluster names).</summary>
    public IEnumerable<(string Key, string? Value, SourceLocation At)> Entries(string key)
    {
        var node = Node(key);
        if (node is not YamlMappingNode map)
        {
            if (node is not null)
            {
                _bag.Error(At(node), $"'{Qualified(key)}' must be a mapping", $"write one 'name: value' per line under '{key}:'");
            }

            yield break;
        }

        foreach (var (k, v) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? string.Empty;
            var value = v is YamlScalarNode s && !IsNull(s) ? s.Value : null;
            if (value is null)
            {
                _bag.Error(At(v), $"'{Qualified(key)}.{name}' must be a single value", $"write '{name}: <value>'");
            }

            yield return (name, value, At(k));
        }
    }

    public string Qualified(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private YamlNode? Key(string key) =>
        _node.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);

    private void EnsureKnown(string key)
    {
        if (!_known.Contains(key))
        {
            throw new InvalidOperationException($"reader for '{_path}' asked for undeclared key '{key}'");
        }
    }

    private void ReportUnknownKeys(string[] knownKeys)
    {
        foreach (var keyNode in _node.Children.Keys)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            if (!_known.Contains(name))
            {
                _bag.Error(At(keyNode), $"unknown key '{Qualified(name)}'", Suggestion.DidYouMean(name, knownKeys));
            }
        }
    }
}
