using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Conformance;

/// <summary>
/// The forwarder's <c>config.yaml</c>: read with the daemon's own loader (so every start-up error is a finding),
/// then held against the schema: SD-ID, socket path (where the HAProxy logger writes), topic, the parser table's
/// fingerprint, and librdkafka settings spelled twice under different names. A config the daemon would refuse
/// still gets every check whose key was read: a key with an error of its own is reported once, by the loader.
/// </summary>
public static class ForwarderConfigConformance
{
    /// <param name="parserTable">The table to hold against the schema; null means the one <c>parser_table</c> names, if readable here.</param>
    public static (IReadOnlyList<Finding> Findings, string Covered) Check(SchemaExpectations expected, string file, string? parserTable)
    {
        var schema = expected.Schema;
        var load = ForwarderConfigLoader.LoadTolerant(file);
        var bag = new DiagnosticBag();
        if (load.Config is not { } config)
        {
            return ([.. load.Diagnostics.Select(Finding.From)], "could not be read as YAML, so only its own errors are reported");
        }

        var loaderErrors = load.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => (d.Location.File, d.Location.Line)).ToHashSet();
        RdkafkaAliases.Report(config.Kafka.Rdkafka, bag, asErrors: true);
        ForwarderConfigChecks.AgainstTable(config, expected.ParserTable, bag);
        var findings = load.Diagnostics
            .Concat(bag.Items.Where(d => !loaderErrors.Contains((d.Location.File, d.Location.Line))))
            .Select(Finding.From).ToList();
        var loads = loaderErrors.Count == 0;

        if (load.Usable("socket.path") && config.Socket.Path != schema.Haproxy.Socket)
        {
            findings.Add(new Finding(file, config.At("socket.path").Line, Severity.Error, $"socket.path is '{config.Socket.Path}' but HAProxy's logger writes to '{schema.Haproxy.Socket}'; every line would be lost", $"set 'path: {schema.Haproxy.Socket}'", schema.Haproxy.At("socket")));
        }

        var checkedKeys = loads ? "sdid, socket path, topics, rdkafka aliases" : "does not load (errors above); still checked: sdid, socket path, topics, rdkafka aliases where readable";
        if (parserTable is null && !load.Usable("parser_table"))
        {
            return (findings, $"{checkedKeys}; no usable parser_table (pass --parser-table to check its fingerprint)");
        }

        var tablePath = parserTable ?? config.ParserTable;
        if (parserTable is null && !File.Exists(tablePath))
        {
            return (findings, $"{checkedKeys}; parser table '{tablePath}' is not on this machine (pass --parser-table to check its fingerprint)");
        }

        try
        {
            var table = ParserTableLoader.Load(tablePath);
            if (table.Fingerprint != expected.Fingerprint && !config.AcceptedFingerprints.Contains(expected.Fingerprint))
            {
                findings.Add(new Finding(file, config.At("parser_table").Line, Severity.Error, $"parser_table '{tablePath}' has fingerprint {table.Fingerprint}, the schema's is {expected.Fingerprint}: every line HAProxy writes would be dead-lettered as fingerprint_mismatch", "deploy the parser table generated from this schema (generated/forwarder/parser-table.json)"));
            }
        }
        catch (InvalidInputException e)
        {
            findings.AddRange(e.Diagnostics.Select(Finding.From));
        }

        return (findings, $"{checkedKeys}, parser table fingerprint ({tablePath})");
    }
}
