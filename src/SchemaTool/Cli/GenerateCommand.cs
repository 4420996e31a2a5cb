using System.CommandLine;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Generator.Drift;
using HaproxyKafka.Generator.Rendering;

namespace HaproxyKafka.SchemaTool.Cli;

/// <summary><c>generate</c>: render every artifact, or with <c>--check</c> prove the checked-in ones are current.</summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter output)
    {
        var schemaOption = SchemaOptions.Schema();
        var outOption = new Option<DirectoryInfo>("--out", "-o") { Description = "Directory for the generated files.", Required = true };
        var checkOption = new Option<bool>("--check") { Description = "Render in memory and compare with --out; exit 1 with a unified diff when they differ." };
        var templatesOption = new Option<DirectoryInfo>("--templates")
        {
            Description = "Template directory (default: the templates shipped with the tool).",
            DefaultValueFactory = _ => new DirectoryInfo(TemplateSet.DefaultDirectory),
        };
        var command = new Command("generate", "Render HAProxy, Puppet/hiera and forwarder artifacts from the schema.")
        {
            schemaOption, outOption, checkOption, templatesOption,
        };
        command.SetAction(parse =>
        {
            var schemaFile = parse.GetValue(schemaOption)!;
            var outDirectory = parse.GetValue(outOption)!.ToString();
            var result = SchemaOptions.LoadAndReport(schemaFile, output);
            if (result.Schema is not { } schema)
            {
                output.WriteLine($"{schemaFile}: not generating: fix the errors above first");
                return ExitCodes.Findings;
            }

            var templatesDirectory = parse.GetValue(templatesOption)!.ToString();
            if (!Directory.Exists(templatesDirectory))
            {
                output.WriteLine($"error: template directory '{templatesDirectory}' does not exist; pass --templates DIR");
                return ExitCodes.Usage;
            }

            IReadOnlyList<Artifact> artifacts;
            try
            {
                artifacts = ArtifactGenerator.Render(schema, TemplateSet.Load(templatesDirectory));
            }
            catch (InvalidInputException e)
            {
                foreach (var diagnostic in e.Diagnostics)
                {
                    output.WriteLine(diagnostic);
                }

                output.WriteLine($"error: the templates in '{templatesDirectory}' cannot render; fix them or pass --templates DIR");
                return ExitCodes.Usage;
            }

            return parse.GetValue(checkOption) ? Check(artifacts, outDirectory, output) : Write(artifacts, outDirectory, output);
        });
        return command;
    }

    private static int Check(IReadOnlyList<Artifact> artifacts, string outDirectory, TextWriter output)
    {
        var report = DriftCheck.Compare(artifacts, outDirectory);
        if (report.Clean)
        {
            output.WriteLine($"{outDirectory}: all {artifacts.Count} generated files are up to date");
            return ExitCodes.Ok;
        }

        output.Write(report.Diff);
        foreach (var file in report.Changed)
        {
            output.WriteLine($"{Path.Combine(outDirectory, file)}: error: differs from what the schema generates; regenerate, do not edit");
        }

        foreach (var file in report.Missing)
        {
            output.WriteLine($"{Path.Combine(outDirectory, file)}: error: missing; run generate");
        }

        foreach (var file in report.Unexpected)
        {
            output.WriteLine($"{Path.Combine(outDirectory, file)}: error: not generated from the schema; delete it");
        }

        return ExitCodes.Findings;
    }

    private static int Write(IReadOnlyList<Artifact> artifacts, string outDirectory, TextWriter output)
    {
        foreach (var artifact in artifacts)
        {
            var path = Path.Combine(outDirectory, artifact.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, artifact.Content);
            output.WriteLine($"wrote {path}");
        }

        foreach (var stale in DriftCheck.Compare(artifacts, outDirectory).Unexpected)
        {
            output.WriteLine($"{Path.Combine(outDirectory, stale)}: warning: not generated from the schema any more; delete it");
        }

        return ExitCodes.Ok;
    }
}
