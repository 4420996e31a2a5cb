using HaproxyKafka.Contract;
using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Generator.Rendering;

/// <summary>
/// Renders every artifact of a schema: the text files from templates, and the parser table from the contract
/// model (it is data the forwarder reads, not layout) with the JSON Schema of the messages mapped with it. The same schema gives the same bytes, wherever they are
/// written.
/// </summary>
public static class ArtifactGenerator
{
    public const string ParserTablePath = "forwarder/parser-table.json";

    public static IReadOnlyList<Artifact> Render(LogSchema schema, TemplateSet templates)
    {
        var model = ArtifactModel.Build(schema);
        var table = ParserTableBuilder.Build(schema) with { Generated = model.Banner.OneLine };
        return
        [
            .. templates.Render(model)
                .Append(new Artifact(ParserTablePath, ParserTableWriter.Write(table)))
                .Append(new Artifact(MessageSchema.PathFor(schema.Name), MessageSchema.Write(table, model.Banner)))
                .OrderBy(a => a.RelativePath, StringComparer.Ordinal),
        ];
    }
}
