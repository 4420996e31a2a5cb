using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Contract;
using HaproxyKafka.Forwarder.Receiving;

namespace HaproxyKafka.Forwarder.Cli;

/// <summary>
/// Loads the config and its parser table, checks them against each other and resolves what only this machine can
/// (user names in <c>socket.allowed_uids</c>); reports every finding. Start-up prints them; a SIGHUP reload logs
/// them, so a config that would not start is also refused in place.
/// </summary>
internal static class StartupChecks
{
    public static (ForwarderConfig Config, ParserTable Table)? Load(string configPath, TextWriter err) =>
        Load(configPath, (_, line) => err.WriteLine(line));

    /// <param name="report">Each finding as one line, with its severity (the table's "points here" note counts as an error's).</param>
    public static (ForwarderConfig Config, ParserTable Table)? Load(string configPath, Action<Severity, string> report)
    {
        var loaded = ForwarderConfigLoader.LoadFile(configPath);
        Print(loaded.Diagnostics, report);
        if (loaded.Config is not { } config)
        {
            return null;
        }

        ParserTable table;
        try
        {
            table = ParserTableLoader.Load(config.ParserTable);
        }
        catch (InvalidInputException e)
        {
            Print(e.Diagnostics, report);
            report(Severity.Error, $"{config.At("parser_table")}: note: 'parser_table' points here");
            return null;
        }

        var bag = new DiagnosticBag();
        ForwarderConfigChecks.AgainstTable(config, table, bag);

        // User names in socket.allowed_uids mean something only on the machine the daemon runs on.
        config = config with { Socket = SenderAllowList.ResolveNames(config.Socket, bag) };
        Print(bag.Sorted(), report);
        return bag.HasErrors ? null : (config, table);
    }

    private static void Print(IEnumerable<Diagnostic> diagnostics, Action<Severity, string> report)
    {
        foreach (var diagnostic in diagnostics)
        {
            report(diagnostic.Severity, diagnostic.ToString());
        }
    }
}
