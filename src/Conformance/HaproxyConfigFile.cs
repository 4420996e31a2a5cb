using System.Text;

namespace HaproxyKafka.Conformance;

/// <summary>One directive of haproxy.cfg: its words after HAProxy's quoting, escaping and variable rules, and the file it is in.</summary>
public sealed record ConfigLine(int Line, IReadOnlyList<string> Words, string File = "")
{
    public bool Is(params string[] words) =>
        Words.Count >= words.Length && words.Select((w, i) => Words[i] == w).All(x => x);
}

/// <summary>A section (<c>global</c>, <c>defaults</c>, <c>frontend</c>, <c>listen</c>, <c>backend</c>, ...) and its directives.</summary>
public sealed record ConfigSection(string Kind, string Name, int Line, IReadOnlyList<ConfigLine> Lines, string File = "")
{
    public bool IsProxyWithCaptures => Kind is "frontend" or "listen";
}

/// <summary>
/// haproxy.cfg read the way HAProxy reads it: sections, line numbers, <c>#</c> comments, backslash escapes,
/// single quotes (literal), double quotes (with <c>\"</c> and <c>$VAR</c> / <c>${VAR}</c> expansion).
/// </summary>
public sealed class HaproxyConfigFile
{
    private static readonly HashSet<string> SectionKeywords =
        ["global", "defaults", "frontend", "backend", "listen", "resolvers", "peers", "userlist", "program", "http-errors", "ring", "cache", "mailers"];

    private HaproxyConfigFile(string path, IReadOnlyList<ConfigSection> sections, IReadOnlyList<UnresolvedVariable> unresolvedVariables)
    {
        Path = path;
        Sections = sections;
        UnresolvedVariables = unresolvedVariables;
    }

    /// <summary>The file, or for a configuration of several files the first one; findings name each line's own file.</summary>
    public string Path { get; }

    public IReadOnlyList<ConfigSection> Sections { get; }

    /// <summary>Every use of an unset <c>$VAR</c>, where it is used.</summary>
    public IReadOnlyList<UnresolvedVariable> UnresolvedVariables { get; }

    /// <summary>
    /// Several files as one configuration, in the order <c>haproxy -f A -f B</c> reads them: sections accumulate,
    /// a <c>defaults</c> section of an earlier file applies to the proxies of a later one.
    /// </summary>
    public static HaproxyConfigFile Combine(IReadOnlyList<HaproxyConfigFile> files) =>
        files.Count == 1 ? files[0] : new(files.Count == 0 ? string.Empty : files[0].Path, [.. files.SelectMany(f => f.Sections)], [.. files.SelectMany(f => f.UnresolvedVariables)]);

    public static HaproxyConfigFile Parse(string path, string text, IReadOnlyDictionary<string, string>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty);
        var unresolved = new List<UnresolvedVariable>();
        var names = new List<string>();
        var sections = new List<ConfigSection>();
        var current = new List<ConfigLine>();
        (string Kind, string Name, int Line)? header = null;

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var words = SplitWords(lines[i].TrimEnd('\r'), environment, names);
            unresolved.AddRange(names.Select(n => new UnresolvedVariable(n, path, i + 1)));
            names.Clear();
            if (words.Count == 0)
            {
                continue;
            }

            if (SectionKeywords.Contains(words[0]))
            {
                if (header is { } h)
                {
                    sections.Add(new ConfigSection(h.Kind, h.Name, h.Line, current, path));
                }

                header = (words[0], words.Count > 1 ? words[1] : string.Empty, i + 1);
                current = [];
                continue;
            }

            current.Add(new ConfigLine(i + 1, words, path));
        }

        if (header is { } last)
        {
            sections.Add(new ConfigSection(last.Kind, last.Name, last.Line, current, path));
        }

        return new HaproxyConfigFile(path, sections, unresolved);
    }

    /// <summary>The <c>defaults</c> section a proxy inherits from: the last one above it (or the one named by <c>from</c>).</summary>
    public ConfigSection? DefaultsFor(ConfigSection proxy)
    {
        ConfigSection? found = null;
        foreach (var section in Sections)
        {
            if (ReferenceEquals(section, proxy))
            {
                break;
            }

            if (section.Kind == "defaults")
            {
                found = section;
            }
        }

        return found;
    }

    internal static List<string> SplitWords(string line, IReadOnlyDictionary<string, string> environment, List<string> unresolved)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
                continue;
            }

            if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else if (c == '$' && TryVariable(line, ref i, environment, unresolved, out var value))
                {
                    word.Append(value);
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
                continue;
            }

            if (c == '#')
            {
                break;
            }

            if (c is ' ' or '\t')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            word.Append(c);
            inWord = true;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static bool TryVariable(string line, ref int i, IReadOnlyDictionary<string, string> environment, List<string> unresolved, out string value)
    {
        value = string.Empty;
        var start = i + 1;
        string name;
        int end;
        if (start < line.Length && line[start] == '{')
        {
            var close = line.IndexOf('}', start);
            if (close < 0)
            {
                return false;
            }

            name = line[(start + 1)..close];
            end = close;
        }
        else
        {
            end = start;
            while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] == '_'))
            {
                end++;
            }

            if (end == start)
            {
                return false;
            }

            name = line[start..end];
            end--;
        }

        if (!environment.TryGetValue(name, out var found))
        {
            unresolved.Add(name);
            found = string.Empty;
        }

        value = found;
        i = end;
        return true;
    }
}
