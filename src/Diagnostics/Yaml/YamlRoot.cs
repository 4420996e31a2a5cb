using HaproxyKafka.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HaproxyKafka.Diagnostics.Yaml;

/// <summary>Parses a YAML file whose root must be a mapping; syntax errors become diagnostics with line and column.</summary>
public static class YamlRoot
{
    public static YamlMappingNode? Parse(string text, string file, DiagnosticBag bag, string what, string emptyFix)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = (e.InnerException?.Message ?? e.Message).Trim();
            bag.Error(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column), $"YAML syntax: {message}", "fix the YAML at this position (indentation, a missing ':' or an unclosed quote)");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, not a YamlException, when the text ends inside a flow collection
            // ("key: [a, b" with no ']'); it knows no position, so the finding points at the end of the file.
            var lines = text.TrimEnd('\n').Split('\n');
            bag.Error(new SourceLocation(file, lines.Length, lines[^1].Length + 1), "YAML syntax: the file ends inside an unclosed '[' or '{'",
                "close the bracket, or quote a value that starts with '[' or '{'");
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            bag.Error(new SourceLocation(file, 1, 1), $"the {what} is not a YAML mapping", emptyFix);
            return null;
        }

        return root;
    }
}
