using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Generator.Tests;

/// <summary>A schema written to a scratch directory and generated from with the generator library and the source tree's templates.</summary>
internal sealed class GeneratedSet : IDisposable
{
    private readonly TempDirectory _dir = new();

    public GeneratedSet(string schemaText)
    {
        SchemaPath = _dir.File("schema.yaml");
        File.WriteAllText(SchemaPath, schemaText);
        var loaded = SchemaLoader.LoadFile(SchemaPath);
        loaded.Schema.Should().NotBeNull(string.Join('\n', loaded.Diagnostics));
        Schema = loaded.Schema!;
        var artifacts = ArtifactGenerator.Render(Schema, TemplateSet.Load(RepoPaths.Templates));
        foreach (var artifact in artifacts)
        {
            var path = Path.Combine(OutDir, artifact.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, artifact.Content);
        }
    }

    public string SchemaPath { get; }

    public string OutDir => _dir.File("generated");

    public LogSchema Schema { get; }

    public string Fingerprint => Schema is null ? string.Empty : HaproxyKafka.Schema.Fingerprint.Of(Schema);

    public TempDirectory Scratch => _dir;

    /// <summary>The shipped schema with the logger pointed at a socket this test owns.</summary>
    public static GeneratedSet FromShippedSchema(string socketPath) =>
        new(File.ReadAllText(RepoPaths.Schema).Replace("/var/run/haproxykafka/haproxykafka.sock", socketPath, StringComparison.Ordinal));

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(OutDir, relativePath));

    public void Dispose() => _dir.Dispose();
}
