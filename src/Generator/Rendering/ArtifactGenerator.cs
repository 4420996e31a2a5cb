using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Generator.Rendering;

/// <summary>Renders every artifact of a schema; the same inputs give the same bytes.</summary>
public static class ArtifactGenerator
{
    public static IReadOnlyList<Artifact> Render(LogSchema schema, TemplateSet templates, string regenerateCommand)
    {
        var model = ArtifactModel.Build(schema, regenerateCommand);
        return templates.Render(model);
    }

    /// <summary>
    /// The command the banner tells people to run. Only file and directory names go in, so the banner (and the
    /// drift check) does not depend on where the repository is checked out.
    /// </summary>
    public static string RegenerateCommand(string schemaPath, string outDirectory) =>
        $"haproxykafka-schema generate --schema {Path.GetFileName(schemaPath)} --out {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDirectory)))}";
}
