using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.TestSupport;

/// <summary>
/// The conformance corpus (tests/Conformance.Tests/corpus): realistic deployed inputs that conform to the shipped schema. They carry
/// @SCHEMA_FP@ where the schema's fingerprint goes, so editing schema.yaml does not mean editing the corpus.
/// </summary>
public static class Corpus
{
    public static LogSchema Schema { get; } = SchemaLoader.LoadFile(RepoPaths.Schema).Schema!;

    public static string Fingerprint { get; } = HaproxyKafka.Schema.Fingerprint.Of(Schema);

    public static string Text(string relativePath) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Conformance.Tests", "corpus", relativePath))
            .Replace("@SCHEMA_FP@", Fingerprint, StringComparison.Ordinal);

    /// <summary>Writes a corpus file (optionally edited) into <paramref name="dir"/> and returns its path.</summary>
    public static string WriteTo(TempDirectory dir, string relativePath, Func<string, string>? edit = null)
    {
        var path = Path.Combine(dir.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, (edit ?? (t => t))(Text(relativePath)));
        return path;
    }

    /// <summary>Replaces exactly one occurrence, so a test that edits the corpus fails loudly when the corpus changes.</summary>
    public static string ReplaceOnce(this string text, string find, string with)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(find, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"'{find}' must occur exactly once in the corpus text");
        }

        return string.Concat(text.AsSpan(0, at), with, text.AsSpan(at + find.Length));
    }
}
