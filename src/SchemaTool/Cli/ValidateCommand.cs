using System.CommandLine;
using HaproxyKafka.Schema;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Validation;

namespace HaproxyKafka.SchemaTool.Cli;

/// <summary><c>validate</c>: every problem of a schema at once, compiler-style, plus its fingerprint and line budget.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output)
    {
        var schemaOption = SchemaOptions.Schema();
        var strictOption = SchemaOptions.Strict();
        var command = new Command("validate", "Check a schema and report every problem as FILE:LINE:COLUMN: error: what; fix.")
        {
            schemaOption,
            strictOption,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(schemaOption)!;
            var result = SchemaOptions.LoadAndReport(file, output);
            var errors = result.Diagnostics.Count(d => d.Severity == Severity.Error);
            var warnings = result.Diagnostics.Count - errors;
            if (result.Schema is { } schema)
            {
                var budget = LenBudget.Compute(schema);
                output.WriteLine($"{file}: schema '{schema.Name}' fingerprint {Fingerprint.Of(schema)}: {schema.Fields.Length} fields, {schema.Captures.Request.Length} request and {schema.Captures.Response.Length} response captures");
                output.WriteLine($"{file}: line budget: {budget.MinimumLen} bytes with every value at its maximum length, {budget.WorstCaseLen} bytes if every byte is escaped; len is {schema.Haproxy.Len}");
            }

            output.WriteLine($"{file}: {errors} error(s), {warnings} warning(s)");
            return errors > 0 || SchemaOptions.FailsStrict(result, parse.GetValue(strictOption)) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }
}
