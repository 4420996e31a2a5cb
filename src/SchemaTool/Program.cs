using System.CommandLine;
using HaproxyKafka.SchemaTool.Cli;

namespace HaproxyKafka.SchemaTool;

public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Entry point with explicit writers, so tests run the real command line in-process.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("haproxykafka-schema: validate the log schema and generate HAProxy, Puppet and forwarder artifacts from it.")
        {
            ValidateCommand.Create(output),
            GenerateCommand.Create(output),
            CheckCommand.Create(output, error),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"error: {problem.Message}");
            }

            error.WriteLine("run with --help for usage");
            return ExitCodes.Usage;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
