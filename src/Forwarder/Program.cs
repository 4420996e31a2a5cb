using System.CommandLine;
using HaproxyKafka.Forwarder.Cli;
using HaproxyKafka.Forwarder.Replay;
using HaproxyKafka.Forwarder.Tap;

namespace HaproxyKafka.Forwarder;

/// <summary>
/// <c>haproxykafka -c /etc/haproxykafka/config.yaml</c> (drop-in for production's command line),
/// <c>haproxykafka -c FILE --check</c> (validate and exit), <c>haproxykafka replay -c FILE DEADLETTERS</c>,
/// <c>haproxykafka tap -c FILE [filters]</c> (a live sample of a running daemon's lines).
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
        root.Subcommands.Add(Tap());

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"haproxykafka: {error.Message}");
            }

            Console.Error.WriteLine("usage: haproxykafka -c CONFIG [--check] | haproxykafka replay -c CONFIG DEADLETTERS | haproxykafka tap -c CONFIG [--kind K] [--reason R] [--where F=V|F~V] [--grep TEXT] [--rate N] [--count N] [--raw] [--json]");
            return ExitCodes.Usage;
        }

        return result.Invoke();
    }

    private static Command Tap()
    {
        var config = new Option<string>("--config", "-c") { Description = "the running daemon's config (to find monitoring.tap_socket)" };
        var socket = new Option<string>("--socket") { Description = "the tap socket, instead of reading it from the config" };
        var kind = new Option<string[]>("--kind") { Description = "message, dead_letter or notice (repeatable; default: all)" };
        var reason = new Option<string>("--reason") { Description = "only dead letters with this reason, e.g. fingerprint_mismatch" };
        var where = new Option<string[]>("--where") { Description = "FIELD=VALUE (equals) or FIELD~VALUE (contains) on the message's JSON (repeatable; all must hold)" };
        var grep = new Option<string>("--grep") { Description = "only lines whose datagram contains TEXT" };
        var rate = new Option<int>("--rate") { Description = $"at most N lines a second (1..{TapFilter.MaxRate})", DefaultValueFactory = _ => TapFilter.DefaultRate };
        var count = new Option<int>("--count", "-n") { Description = "exit after N lines (default: until interrupted)" };
        var raw = new Option<bool>("--raw") { Description = "print each message's datagram under it" };
        var json = new Option<bool>("--json") { Description = "print the daemon's JSON lines as they come (kind, reason, raw, message)" };
        var tap = new Command("tap", "print a live sample of a running daemon's lines: the JSON produced, or why a line was dead-lettered; lossy, never slows the daemon")
        {
            config, socket, kind, reason, where, grep, rate, count, raw, json,
        };
        tap.SetAction(async (parsed, cancel) => await TapCommand.RunAsync(
            new TapCommand.Options(parsed.GetValue(config), parsed.GetValue(socket), [.. parsed.GetValue(kind) ?? []], parsed.GetValue(reason), parsed.GetValue(grep),
                [.. parsed.GetValue(where) ?? []], parsed.GetValue(rate), parsed.GetValue(count), parsed.GetValue(raw), parsed.GetValue(json)),
            Console.Out, Console.Error, cancel));
        return tap;
    }
}
