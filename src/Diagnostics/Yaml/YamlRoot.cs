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

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            bag.Error(new SourceLocation(file, 1, 1), $"the {what} is not a YAML mapping", emptyFix);
            return null;
        }

        return root;
    }
}
