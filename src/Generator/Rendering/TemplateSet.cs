using HaproxyKafka.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace HaproxyKafka.Generator.Rendering;

/// <summary>
/// The Scriban templates of one directory: every <c>*.sbn</c> below a subfolder renders the file of the same
/// relative path without <c>.sbn</c>; top-level <c>*.sbn</c> files are partials, included by name
/// (<c>{{ include 'banner' '#' }}</c>). A mistake in a template is an <see cref="InvalidInputException"/> located
/// at the template's file, line and column, whether the parser or the renderer finds it.
/// </summary>
public sealed class TemplateSet
{
    private const string Extension = ".sbn";
    private const string Fix = "fix the template (Scriban syntax; members are snake_case, e.g. haproxy.log_format_sd)";

    private readonly PartialLoader _partials;
    private readonly IReadOnlyList<(string Output, Template Template)> _templates;

    private TemplateSet(PartialLoader partials, IReadOnlyList<(string Output, Template Template)> templates)
    {
        _partials = partials;
        _templates = templates;
    }

    /// <summary>The templates shipped next to the executable.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "templates");

    /// <summary>Parses every template; reports every parse error of every file at once.</summary>
    public static TemplateSet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"template directory '{directory}' does not exist");
        }

        var errors = new List<Diagnostic>();
        var partials = Directory.GetFiles(directory, "*" + Extension, SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => Parse(f, errors), StringComparer.Ordinal);
        var templates = Directory.GetDirectories(directory)
            .SelectMany(d => Directory.GetFiles(d, "*" + Extension, SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(relative => (relative[..^Extension.Length], Parse(Path.Combine(directory, relative), errors)))
            .ToList();
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        return new TemplateSet(new PartialLoader(partials), templates);
    }

    public IReadOnlyList<Artifact> Render(ArtifactModel model) =>
        [.. _templates.Select(t => new Artifact(t.Output, Render(t.Template, model)))];

    private string Render(Template template, ArtifactModel model)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Rename);

        // YAML single quotes keep the formats' backslashes literal; the quoting itself is HieraText's, tested there.
        globals.Import("hiera", new Func<string, string>(HieraText.Quote));
        globals.Import("yaml", new Func<string, string>(YamlText.Quote));
        var context = new TemplateContext
        {
            MemberRenamer = StandardMemberRenamer.Rename,
            TemplateLoader = _partials,

            // A misspelt name is an error at its line, not an empty string in a config file.
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            NewLine = "\n",
        };
        _partials.Prime(context);
        context.PushGlobal(globals);
        try
        {
            // Scriban writes values as they are: no HTML escaping, which would corrupt quotes in config files.
            return template.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            throw new InvalidInputException(Located(e.Span, e.OriginalMessage));
        }
    }

    private static Template Parse(string file, List<Diagnostic> errors)
    {
        var template = Template.Parse(File.ReadAllText(file), file);
        errors.AddRange(template.Messages.Where(m => m.Type == ParserMessageType.Error).Select(m => Located(m.Span, m.Message)));
        return template;
    }

    /// <summary>Scriban counts lines and columns from 0; diagnostics, like editors, from 1.</summary>
    private static Diagnostic Located(SourceSpan span, string message) =>
        new(new SourceLocation(span.FileName, span.Start.Line + 1, span.Start.Column + 1), Severity.Error, message, Fix);

    /// <summary>Serves the top-level partials to <c>include</c>, already parsed (and checked) by <see cref="Load"/>.</summary>
    private sealed class PartialLoader(IReadOnlyDictionary<string, Template> partials) : ITemplateLoader
    {
        public void Prime(TemplateContext context)
        {
            foreach (var (name, template) in partials)
            {
                context.CachedTemplates[name] = template;
            }
        }

        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) =>
            partials.ContainsKey(templateName)
                ? templateName
                : throw new ScriptRuntimeException(callerSpan, $"no partial '{templateName}': include names a top-level {Extension} file without its extension ({string.Join(", ", partials.Keys)})");

        // Never reached for a known name: Prime put its parsed template in the context's cache.
        public string? Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => null;

        public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) => ValueTask.FromResult<string?>(null);
    }
}
