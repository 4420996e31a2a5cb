using System.CommandLine;
using HaproxyKafka.Forwarder.Cli;
using HaproxyKafka.Forwarder.Replay;

namespace HaproxyKafka.Forwarder;

/// <summary>
/// <c>haproxykafka -c /etc/haproxykafka/config.yaml</c> (drop-in for production's command line),
/// <c>haproxykafka -c FILE --check</c> (validate and exit), <c>haproxykafka replay -c FILE DEADLETTERS</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var config = new Option<string>("--config", "-c") { Description = "forwarder config (production: /etc/haproxykafka/config.yaml)", Required = true };
        var check = new Option<bool>("--check") { Description = "load and cross-check the config and parser table, then exit" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "debug logging, including librdkafka's" };
        var root = new RootCommand("haproxykafka: HAProxy RFC 5424 datagrams to Kafka JSON, through a generated parser table") { config, check, verbose };
        root.SetAction(parsed => RunCommand.RunAsync(parsed.GetValue(config)!, parsed.GetValue(check), parsed.GetValue(verbose), args, Console.Error).GetAwaiter().GetResult());

        var replayConfig = new Option<string>("--config", "-c") { Description = "forwarder config whose Kafka settings and parser table to use", Required = true };
        var file = new Argument<string>("dead-letter-file") { Description = "a dead-letter file written by the daemon (dead_letter_path)" };
        var replay = new Command("replay", "re-produce a dead-letter file; what still fails goes to FILE.remaining") { replayConfig, file };
        replay.SetAction(parsed => ReplayCommand.Run(parsed.GetValue(replayConfig)!, parsed.GetValue(file)!, Console.Out, Console.Error));
        root.Subcommands.Add(replay);

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"haproxykafka: {error.Message}");
            }

            Console.Error.WriteLine("usage: haproxykafka -c CONFIG [--check] | haproxykafka replay -c CONFIG DEADLETTERS");
            return ExitCodes.Usage;
        }

        return result.Invoke();
    }
}
