using System.CommandLine;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;

namespace HaproxyKafka.SchemaTool.Cli;

/// <summary>Options and schema loading shared by the commands.</summary>
internal static class SchemaOptions
{
    public static Option<FileInfo> Schema() => new("--schema", "-s")
    {
        Description = "The schema file (e.g. schema.yaml).",
        Required = true,
    };

    public static Option<bool> Strict() => new("--strict")
    {
        Description = "Treat warnings as findings (exit 1).",
    };

    /// <summary>Prints every diagnostic; returns the schema only when it has no errors (and no warnings if strict).</summary>
    public static SchemaLoadResult LoadAndReport(FileInfo file, TextWriter output)
    {
        var result = SchemaLoader.LoadFile(file.ToString());
        foreach (var diagnostic in result.Diagnostics)
        {
            output.WriteLine(diagnostic);
        }

        return result;
    }

    public static bool FailsStrict(SchemaLoadResult result, bool strict) =>
        strict && result.Diagnostics.Any(d => d.Severity == Severity.Warning);
}
