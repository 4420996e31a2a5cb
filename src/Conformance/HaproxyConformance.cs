using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Compares a deployed haproxy.cfg (one file or several, as HAProxy loads them) with the schema: the logger that
/// targets the forwarder's socket, and for every frontend/listen that logs, its capture slots, its effective
/// log-format and log-format-sd. Each check runs on its own, so one wrong line never hides the others; spellings
/// HAProxy treats the same pass; every finding is at the line that caused it.
/// </summary>
public static class HaproxyConformance
{
    public static IReadOnlyList<Finding> Check(LogSchema schema, HaproxyConfigFile config)
    {
        var findings = new List<Finding>();
        foreach (var use in config.UnresolvedVariables.Distinct())
        {
            findings.Add(new Finding(use.File, use.Line, Severity.Warning, $"environment variable '{use.Name}' is not set; HAProxy would read it as empty", "export it before running the check, as for haproxy -c"));
        }

        var global = config.Sections.Where(s => s.Kind == "global").ToList();
        var hasLogger = LoggerCheck.Check(schema, config, global, findings);

        // Proxies that log at all are checked against the schema even when the logger is wrong: that is one
        // finding at the 'log' line, and the proxies' own drift is just as real.
        var proxies = config.Sections.Where(s => s.IsProxyWithCaptures && Logs(config, s)).ToList();
        if (hasLogger && proxies.Count == 0)
        {
            var at = global.FirstOrDefault();
            findings.Add(new Finding(at?.File ?? config.Path, at?.Line ?? 1, Severity.Error, "no frontend or listen logs to the forwarder's socket", "add 'log global' and the generated log formats to the proxies that carry traffic"));
        }

        foreach (var proxy in proxies)
        {
            var slots = DeployedCaptures.Of(proxy, findings);
            CheckSlots(schema, proxy, slots, findings);
            var equivalence = new LogFormatEquivalence(LogFormatEquivalence.UniqueIdFormatOf(config, proxy), slots);
            MessageFormatCheck.Check(schema, config, proxy, equivalence, findings);
            SdParamsCheck.Check(schema, config, proxy, slots, equivalence, findings);
        }

        // A format inherited from defaults is checked once per proxy; report each place once.
        return [.. findings.Distinct()];
    }

    private static bool Logs(HaproxyConfigFile config, ConfigSection proxy)
    {
        static bool LogsGlobal(ConfigSection? s) => s is not null && s.Lines.Any(l => l.Is("log", "global"));
        return !proxy.Lines.Any(l => l.Is("no", "log")) && (LogsGlobal(proxy) || LogsGlobal(config.DefaultsFor(proxy)));
    }

    private static void CheckSlots(LogSchema schema, ConfigSection proxy, IReadOnlyList<DeployedSlot> slots, List<Finding> findings)
    {
        foreach (var expected in schema.Captures.All)
        {
            var actual = slots.FirstOrDefault(s => s.Direction == expected.Direction && s.Index == expected.Slot);
            var where = $"{DeployedCaptures.Name(expected.Direction)} capture slot {expected.Slot} of {proxy.Kind} '{proxy.Name}'";
            if (actual is null)
            {
                findings.Add(new Finding(proxy.File, proxy.Line, Severity.Error, $"{where} is missing; the schema captures '{expected.Header}' there", "add the capture lines from generated/haproxy/captures.cfg", expected.Location));
                continue;
            }

            if (!string.Equals(actual.Header, expected.Header, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new Finding(actual.File, actual.Line, Severity.Error, $"{where} captures '{actual.Header ?? "(nothing)"}' but the schema puts '{expected.Header}' there; its values would land in the wrong field", "restore the schema's capture order (generated/haproxy/captures.cfg)", expected.Location));
            }
            else if (actual.Len != expected.Len)
            {
                // The len is the declaration's, wherever the rule that fills the slot is.
                findings.Add(new Finding(actual.File, actual.DeclaredLine, Severity.Error, $"{where} ('{expected.Header}') has len {actual.Len}, the schema {expected.Len}", $"set len {expected.Len}", expected.Location));
            }

            if (actual.SplitsOnCommas)
            {
                var (fetch, rule) = expected.Direction == CaptureDirection.Request
                    ? ("req.fhdr", $"'capture request header {expected.Header} len {expected.Len}'")
                    : ("res.fhdr", $"'capture response header {expected.Header} len {expected.Len}'");
                var ruleKind = expected.Direction == CaptureDirection.Request ? "http-request" : "http-response";
                findings.Add(new Finding(actual.File, actual.Line, Severity.Error, $"{where} uses a hdr() fetch, which keeps only the last comma-separated part of '{actual.Header}'", $"use {fetch}({expected.Header}) in the '{ruleKind} capture' rule, or {rule}", expected.Location));
            }
        }

        foreach (var extra in slots.Where(s => (s.Direction == CaptureDirection.Request ? schema.Captures.Request : schema.Captures.Response).Length <= s.Index))
        {
            findings.Add(new Finding(extra.File, extra.DeclaredLine, Severity.Warning, $"{DeployedCaptures.Name(extra.Direction)} capture slot {extra.Index} ('{extra.Header ?? "declared, never filled"}') is not in the schema", "add it to the schema or remove it"));
        }
    }
}
