using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Loopback;

namespace HaproxyKafka.Conformance;

/// <summary>Runs every check a <see cref="CheckRequest"/> asks for, each on its own input, in a fixed order.</summary>
public static class ConformanceRun
{
    public static async Task<IReadOnlyList<CheckOutcome>> RunAsync(SchemaExpectations expected, CheckRequest request)
    {
        if (!request.AsksForAnything)
        {
            throw new CheckerCannotRunException("nothing to check: give at least one of --haproxy-cfg, --hiera, --forwarder-config, --parser-table, --samples, --messages, --generated, --live");
        }

        var missing = request.InputFiles.Where(f => !File.Exists(f) && !(request.HaproxyConfigs.Contains(f) && Directory.Exists(f))).ToList();
        if (request.Generated is { } dir && !Directory.Exists(dir))
        {
            missing.Add(dir);
        }

        if (missing.Count > 0)
        {
            throw new CheckerCannotRunException($"cannot read {string.Join(", ", missing.Select(m => $"'{m}'"))}: no such file or directory");
        }

        var outcomes = new List<CheckOutcome>();
        if (request.Generated is { } generated)
        {
            outcomes.Add(new CheckOutcome("generated", generated, GeneratedConformance.Check(expected, generated, request.SchemaPath), $"{expected.Artifacts.Count} generated files byte for byte"));
        }

        if (request.HaproxyConfigs.Count > 0)
        {
            // Every --haproxy-cfg is part of one configuration, as 'haproxy -f A -f DIR' loads it.
            var files = HaproxyConfigSources.Expand(request.HaproxyConfigs);
            var config = HaproxyConfigSources.Load(request.HaproxyConfigs);
            outcomes.Add(new CheckOutcome("haproxy-cfg", string.Join(", ", request.HaproxyConfigs), HaproxyConformance.Check(expected.Schema, config), $"{files.Count} file(s) as one configuration: the forwarder logger; capture slots, log-format and log-format-sd of every frontend/listen that logs"));
        }

        if (request.Hiera.Count > 0)
        {
            var (findings, covered) = HieraConformance.Check(expected, request.Hiera, request.HieraKeys);
            outcomes.Add(new CheckOutcome("hiera", string.Join(", ", request.Hiera), findings, covered));
        }

        if (request.ForwarderConfig is { } forwarder)
        {
            var (findings, covered) = ForwarderConfigConformance.Check(expected, forwarder, request.ParserTable);
            outcomes.Add(new CheckOutcome("forwarder-config", forwarder, findings, covered));
        }

        if (request.ParserTable is { } table)
        {
            outcomes.Add(new CheckOutcome("parser-table", table, ParserTableConformance.Check(expected, table), "fingerprint, SD-ID and every field mapping"));
        }

        if (request.Samples is { } samples)
        {
            // Judged as the daemon with the given config maps them: the drop-in setting makes fingerprint-less lines warnings.
            var dropIn = request.ForwarderConfig is { } cfg && ForwarderConfigLoader.LoadTolerant(cfg) is { Config.MapLinesWithoutFingerprint: true } read && read.Usable("map_lines_without_fingerprint");
            var (findings, covered) = SampleConformance.Check(expected, samples, dropIn);
            outcomes.Add(new CheckOutcome("samples", samples, findings, covered));
        }

        if (request.Messages is { } messages)
        {
            var (findings, covered) = MessageConformance.Check(expected, messages);
            outcomes.Add(new CheckOutcome("messages", messages, findings, covered));
        }

        if (request.Live)
        {
            var (fragments, label) = request.Generated is { } from
                ? (GeneratedFragments.FromDirectory(from), Path.Combine(from, "haproxy"))
                : (new GeneratedFragments(expected.Content("haproxy/global.cfg"), expected.Content("haproxy/log-format.cfg"), expected.Content("haproxy/captures.cfg")), $"the fragments generated from {Path.GetFileName(request.SchemaPath)}");
            var (findings, covered) = await LiveConformance.CheckAsync(expected, fragments, label, request.HaproxyBinary);
            outcomes.Add(new CheckOutcome("live", label, findings, covered));
        }

        return outcomes;
    }
}
