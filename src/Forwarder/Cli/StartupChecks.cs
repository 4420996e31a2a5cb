using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Contract;
using HaproxyKafka.Forwarder.Receiving;

namespace HaproxyKafka.Forwarder.Cli;

/// <summary>
/// Loads the config and its parser table, checks them against each other and resolves what only this machine can
/// (user names in <c>socket.allowed_uids</c>); prints every finding.
/// </summary>
internal static class StartupChecks
{
    public static (ForwarderConfig Config, ParserTable Table)? Load(string configPath, TextWriter err)
    {
        var loaded = ForwarderConfigLoader.LoadFile(configPath);
        Print(loaded.Diagnostics, err);
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
            Print(e.Diagnostics, err);
            err.WriteLine($"{config.At("parser_table")}: note: 'parser_table' points here");
            return null;
        }

        var bag = new DiagnosticBag();
        ForwarderConfigChecks.AgainstTable(config, table, bag);

        // User names in socket.allowed_uids mean something only on the machine the daemon runs on.
        config = config with { Socket = SenderAllowList.ResolveNames(config.Socket, bag) };
        Print(bag.Sorted(), err);
        return bag.HasErrors ? null : (config, table);
    }

    private static void Print(IEnumerable<Diagnostic> diagnostics, TextWriter err)
    {
        foreach (var diagnostic in diagnostics)
        {
            err.WriteLine(diagnostic);
        }
    }
}
