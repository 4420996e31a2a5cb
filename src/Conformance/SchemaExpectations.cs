using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Conformance;

/// <summary>
/// What the schema says every deployed artifact must be, rendered once with the same templates as <c>generate</c>:
/// the checks compare against these rather than re-deriving the rules, so "conforms" means "as generated".
/// </summary>
public sealed class SchemaExpectations
{
    private readonly Dictionary<string, Artifact> _artifacts;

    private SchemaExpectations(LogSchema schema, IReadOnlyList<Artifact> artifacts)
    {
        Schema = schema;
        Artifacts = artifacts;
        _artifacts = artifacts.ToDictionary(a => a.RelativePath, StringComparer.Ordinal);
        Fingerprint = HaproxyKafka.Schema.Fingerprint.Of(schema);
        ParserTable = ParserTableLoader.Parse(System.Text.Encoding.UTF8.GetBytes(Content(ParserTablePath)), $"generated from {System.IO.Path.GetFileName(schema.File)}");
    }

    public const string ParserTablePath = ArtifactGenerator.ParserTablePath;

    public LogSchema Schema { get; }

    public IReadOnlyList<Artifact> Artifacts { get; }

    public string Fingerprint { get; }

    public ParserTable ParserTable { get; }

    public static SchemaExpectations Render(LogSchema schema, TemplateSet templates) =>
        new(schema, ArtifactGenerator.Render(schema, templates));

    public string Content(string relativePath) =>
        _artifacts.TryGetValue(relativePath, out var artifact)
            ? artifact.Content
            : throw new InvalidOperationException($"the templates render no '{relativePath}'");

    /// <summary>The hiera data files the generator writes (puppet/hieradata/*.yaml).</summary>
    public IEnumerable<Artifact> Hiera => Artifacts.Where(a => a.RelativePath.StartsWith("puppet/hieradata/", StringComparison.Ordinal));
}
