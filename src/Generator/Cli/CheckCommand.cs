using System.CommandLine;
using System.Text.Json;
using HaproxyKafka.Generator.Conformance;
using HaproxyKafka.Generator.Drift;
using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Schema.Diagnostics;

namespace HaproxyKafka.Generator.Cli;

/// <summary><c>check</c>: prove that deployed config still matches the schema.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output)
    {
        var schemaOption = SchemaOptions.Schema();
        var strictOption = SchemaOptions.Strict();
        var cfgOption = new Option<FileInfo[]>("--haproxy-cfg") { Description = "A deployed haproxy.cfg (repeatable).", AllowMultipleArgumentsPerToken = false };
        var generatedOption = new Option<DirectoryInfo?>("--generated") { Description = "A directory of generated files to compare with a fresh rendering." };
        var formatOption = new Option<string>("--format") { Description = "Output: text or json.", DefaultValueFactory = _ => "text" };
        formatOption.AcceptOnlyFromAmong("text", "json");
        var command = new Command("check", "Check deployed HAProxy config (and generated files) against the schema.")
        {
            schemaOption, cfgOption, generatedOption, formatOption, strictOption,
        };
        command.SetAction(parse =>
        {
            var schemaFile = parse.GetValue(schemaOption)!;
            // Not LoadAndReport: schema warnings would corrupt --format json; they are printed only when loading fails.
            var load = Schema.Loading.SchemaLoader.LoadFile(schemaFile.ToString());
            if (load.Schema is not { } schema)
            {
                foreach (var d in load.Diagnostics)
                {
                    output.WriteLine(d);
                }

                output.WriteLine($"{schemaFile}: cannot check against a schema with errors");
                return ExitCodes.Usage;
            }

            var findings = new List<Finding>();
            foreach (var cfg in parse.GetValue(cfgOption) ?? [])
            {
                if (!cfg.Exists)
                {
                    output.WriteLine($"error: '{cfg}' does not exist");
                    return ExitCodes.Usage;
                }

                findings.AddRange(HaproxyConformance.Check(schema, HaproxyConfigFile.Parse(cfg.ToString(), File.ReadAllText(cfg.FullName))));
            }

            if (parse.GetValue(generatedOption) is { } generated)
            {
                var artifacts = ArtifactGenerator.Render(schema, TemplateSet.Load(TemplateSet.DefaultDirectory), ArtifactGenerator.RegenerateCommand(schemaFile.ToString(), generated.ToString()));
                var drift = DriftCheck.Compare(artifacts, generated.ToString());
                findings.AddRange(drift.Changed.Concat(drift.Missing).Concat(drift.Unexpected).Select(f =>
                    new Finding(Path.Combine(generated.ToString(), f), 1, Severity.Error, "generated file is stale (differs from what the schema generates)", $"run haproxykafka-schema generate --schema {schemaFile} --out {generated}")));
            }

            Report(findings, parse.GetValue(formatOption)!, output);
            var strict = parse.GetValue(strictOption);
            return findings.Any(f => f.Severity == Severity.Error || strict) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static void Report(IReadOnlyList<Finding> findings, string format, TextWriter output)
    {
        if (format == "json")
        {
            output.WriteLine(JsonSerializer.Serialize(findings.Select(f => new
            {
                file = f.File,
                line = f.Line,
                severity = f.Severity == Severity.Error ? "error" : "warning",
                message = f.Message,
                fix = f.Fix,
                schema = f.SchemaLocation is null ? null : $"{f.SchemaLocation.File}:{f.SchemaLocation.Line}",
            }), new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        foreach (var finding in findings)
        {
            output.WriteLine(finding);
        }

        output.WriteLine($"{findings.Count(f => f.Severity == Severity.Error)} error(s), {findings.Count(f => f.Severity == Severity.Warning)} warning(s)");
    }
}
