using System.CommandLine;
using HaproxyKafka.Conformance;
using HaproxyKafka.Conformance.Reporting;
using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;

namespace HaproxyKafka.SchemaTool.Cli;

/// <summary><c>check</c>: prove that deployed config, hiera data, the forwarder's config and live HAProxy still match the schema.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var schemaOption = SchemaOptions.Schema();
        var strictOption = SchemaOptions.Strict();
        var cfgOption = Repeatable("--haproxy-cfg", "A deployed haproxy.cfg or a directory of *.cfg files (repeatable; all together are one configuration, in HAProxy's -f order).");
        var hieraOption = Repeatable("--hiera", "A hiera data file (repeatable; keys may be split across files).");
        var hieraKeysOption = new Option<FileInfo?>("--hiera-keys") { Description = "A YAML mapping from the hiera keys the generator writes to the site's own key names (null: the site keeps that value out of hiera)." };
        var forwarderOption = new Option<FileInfo?>("--forwarder-config") { Description = "The forwarder's config.yaml." };
        var tableOption = new Option<FileInfo?>("--parser-table") { Description = "A deployed parser-table.json (also used for the forwarder config's fingerprint check)." };
        var samplesOption = new Option<FileInfo?>("--samples") { Description = "Captured datagrams or syslog lines, one per line." };
        var messagesOption = new Option<FileInfo?>("--messages") { Description = "Captured Kafka messages, one JSON message per line, validated against the generated JSON Schema." };
        var generatedOption = new Option<DirectoryInfo?>("--generated") { Description = "A directory of generated files to compare with a fresh rendering (and to run --live on)." };
        var liveOption = new Option<bool>("--live") { Description = "Run real HAProxy on the fragments and check every field with sentinel requests." };
        var haproxyOption = new Option<string>("--haproxy-bin") { Description = "The HAProxy executable --live runs (default: haproxy on PATH or in /usr/sbin).", DefaultValueFactory = _ => "haproxy" };
        var templatesOption = new Option<DirectoryInfo>("--templates")
        {
            Description = "Template directory (default: the templates shipped with the tool).",
            DefaultValueFactory = _ => new DirectoryInfo(TemplateSet.DefaultDirectory),
        };
        var formatOption = new Option<string>("--format") { Description = "Output: text, json, github (workflow annotations) or junit (XML).", DefaultValueFactory = _ => "text" };
        formatOption.AcceptOnlyFromAmong([.. ReportFormats.All.Keys]);
        var command = new Command("check", "Check deployed HAProxy config, hiera data, forwarder config, samples, Kafka messages and live HAProxy against the schema. Exit 0 clean, 1 findings, 2 could not check.")
        {
            schemaOption, cfgOption, hieraOption, hieraKeysOption, forwarderOption, tableOption, samplesOption, messagesOption, generatedOption, liveOption, haproxyOption, templatesOption, formatOption, strictOption,
        };
        command.SetAction(async (parse, _) =>
        {
            var schemaFile = parse.GetValue(schemaOption)!.ToString();

            // Not LoadAndReport: schema warnings would corrupt --format json/junit; they are printed only when loading fails.
            var load = SchemaLoader.LoadFile(schemaFile);
            if (load.Schema is not { } schema)
            {
                foreach (var d in load.Diagnostics)
                {
                    error.WriteLine(d);
                }

                error.WriteLine($"{schemaFile}: cannot check against a schema with errors");
                return ExitCodes.Usage;
            }

            var generated = parse.GetValue(generatedOption)?.ToString();
            var request = new CheckRequest(
                schemaFile,
                [.. (parse.GetValue(cfgOption) ?? []).Select(f => f.ToString())],
                [.. (parse.GetValue(hieraOption) ?? []).Select(f => f.ToString())],
                parse.GetValue(forwarderOption)?.ToString(),
                parse.GetValue(tableOption)?.ToString(),
                parse.GetValue(samplesOption)?.ToString(),
                generated,
                parse.GetValue(liveOption),
                parse.GetValue(haproxyOption)!,
                parse.GetValue(messagesOption)?.ToString(),
                parse.GetValue(hieraKeysOption)?.ToString());
            IReadOnlyList<CheckOutcome> outcomes;
            try
            {
                var templates = TemplateSet.Load(parse.GetValue(templatesOption)!.ToString());
                var expected = SchemaExpectations.Render(schema, templates);
                outcomes = await ConformanceRun.RunAsync(expected, request);
            }
            catch (Exception e) when (e is CheckerCannotRunException or DirectoryNotFoundException or IOException or UnauthorizedAccessException or InvalidInputException)
            {
                // A broken template prints as FILE:LINE:COLUMN: error: ..., one line per error.
                error.WriteLine($"error: the checker could not run: {e.Message}");
                return ExitCodes.Usage;
            }

            var strict = parse.GetValue(strictOption);
            ReportFormats.All[parse.GetValue(formatOption)!].Write(outcomes, strict, output);
            var findings = outcomes.SelectMany(o => o.Findings).ToList();
            return findings.Any(f => f.Severity == Severity.Error || strict) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static Option<FileInfo[]> Repeatable(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = true,
    };
}
