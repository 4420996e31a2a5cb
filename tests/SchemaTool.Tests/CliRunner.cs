using HaproxyKafka.TestSupport;

namespace HaproxyKafka.SchemaTool.Tests;

/// <summary>Runs the real command line in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static ProcessResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.Run(args, output, error);
        return new ProcessResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Generates from the given schema file into <paramref name="outDir"/> with the source tree's templates.</summary>
    public static ProcessResult Generate(string schema, string outDir, bool check = false)
    {
        string[] args = ["generate", "--schema", schema, "--out", outDir, "--templates", RepoPaths.Templates];
        return Run(check ? [.. args, "--check"] : args);
    }
}
