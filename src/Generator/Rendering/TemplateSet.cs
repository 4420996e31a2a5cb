using System.Text.Encodings.Web;
using System.Text.Json;
using HandlebarsDotNet;

namespace HaproxyKafka.Generator.Rendering;

/// <summary>
/// The templates of one directory: every <c>*.hbs</c> below a subfolder renders the file of the same relative
/// path without <c>.hbs</c>; top-level <c>*.hbs</c> files are partials (the banner).
/// </summary>
public sealed class TemplateSet
{
    private readonly IHandlebars _handlebars;
    private readonly List<(string Output, HandlebarsTemplate<object, object> Render)> _templates = [];

    private TemplateSet(IHandlebars handlebars) => _handlebars = handlebars;

    /// <summary>The templates shipped next to the executable.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "templates");

    public static TemplateSet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"template directory '{directory}' does not exist");
        }

        // Generated files are config and code, not HTML: HTML-escaping would corrupt quotes and ampersands.
        var set = new TemplateSet(Handlebars.Create(new HandlebarsConfiguration { NoEscape = true }));
        set.RegisterHelpers();
        foreach (var partial in Directory.GetFiles(directory, "*.hbs", SearchOption.TopDirectoryOnly))
        {
            set._handlebars.RegisterTemplate(Path.GetFileNameWithoutExtension(partial), File.ReadAllText(partial));
        }

        var files = Directory.GetDirectories(directory)
            .SelectMany(d => Directory.GetFiles(d, "*.hbs", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        foreach (var relative in files)
        {
            var text = File.ReadAllText(Path.Combine(directory, relative));
            set._templates.Add((relative[..^".hbs".Length], set._handlebars.Compile(text)));
        }

        return set;
    }

    public IReadOnlyList<Artifact> Render(object model) =>
        [.. _templates.Select(t => new Artifact(t.Output, t.Render(model, null)))];

    private void RegisterHelpers()
    {
        var json = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        _handlebars.RegisterHelper("json", (writer, _, arguments) =>
            writer.WriteSafeString(JsonSerializer.Serialize(arguments[0]?.ToString(), json)));

        // YAML single quotes keep backslashes literal, which the HAProxy formats are full of.
        _handlebars.RegisterHelper("yaml", (writer, _, arguments) =>
            writer.WriteSafeString(HieraText.Quote(arguments[0]?.ToString() ?? string.Empty)));
    }
}
