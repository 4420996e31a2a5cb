using System.Text.RegularExpressions;
using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Schema;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.Schema.Validation;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Compares a deployed haproxy.cfg with the schema: the logger that targets the forwarder's socket, and for every
/// frontend/listen that logs to it, its capture slots and its effective log-format-sd. Spellings HAProxy treats the
/// same pass; what would put a value in the wrong field, drop it or empty the line is a finding.
/// </summary>
public static partial class HaproxyConformance
{
    public static IReadOnlyList<Finding> Check(LogSchema schema, HaproxyConfigFile config)
    {
        var findings = new List<Finding>();
        var file = config.Path;
        foreach (var name in config.UnresolvedVariables.Distinct())
        {
            findings.Add(new Finding(file, 1, Severity.Warning, $"environment variable '{name}' is not set; HAProxy would read it as empty", "export it before running the check, as for haproxy -c"));
        }

        var global = config.Sections.FirstOrDefault(s => s.Kind == "global");
        var hasLogger = CheckGlobal(schema, config, global, findings);

        var proxies = config.Sections.Where(s => s.IsProxyWithCaptures && LogsToForwarder(config, s, hasLogger)).ToList();
        if (hasLogger && proxies.Count == 0)
        {
            findings.Add(new Finding(file, global?.Line ?? 1, Severity.Error, "no frontend or listen logs to the forwarder's socket", "add 'log global' and the generated log formats to the proxies that carry traffic"));
        }

        foreach (var proxy in proxies)
        {
            var slots = DeployedCaptures.Of(proxy, file, findings);
            CheckSlots(schema, proxy, slots, file, findings);
            CheckLogFormatSd(schema, config, proxy, slots, findings);
        }

        // A format inherited from defaults is checked once per proxy; report each place once.
        return [.. findings.Distinct()];
    }

    private static bool CheckGlobal(LogSchema schema, HaproxyConfigFile config, ConfigSection? global, List<Finding> findings)
    {
        var file = config.Path;
        var socket = schema.Haproxy.Socket;
        var loggers = global?.Lines.Where(l => l.Is("log") && l.Words.Count > 1).ToList() ?? [];
        var logger = loggers.FirstOrDefault(l => l.Words[1] == socket);
        if (logger is null)
        {
            var others = string.Join(", ", loggers.Select(l => $"'{l.Words[1]}' (line {l.Line})"));
            findings.Add(new Finding(file, global?.Line ?? 1, Severity.Error, $"no global logger targets the forwarder socket '{socket}'" + (others.Length > 0 ? $"; loggers found: {others}" : string.Empty), "use the 'log' line from generated/haproxy/global.cfg", schema.Haproxy.At("socket")));
            return false;
        }

        var words = logger.Words;
        var format = ValueAfter(words, "format");
        if (format != "rfc5424")
        {
            findings.Add(new Finding(file, logger.Line, Severity.Error, $"the forwarder logger uses format '{format ?? "rfc3164 (default)"}'; structured data needs rfc5424", "write 'format rfc5424'"));
        }

        var budget = LenBudget.Compute(schema);
        var len = int.TryParse(ValueAfter(words, "len"), out var l) ? l : 1024;
        if (len < budget.MinimumLen)
        {
            findings.Add(new Finding(file, logger.Line, Severity.Error, $"logger len {len} is below the {budget.MinimumLen} bytes a line with every value at its maximum needs; HAProxy empties the SD of every longer line", $"set 'len {schema.Haproxy.Len}'", schema.Haproxy.At("len")));
        }
        else if (len < schema.Haproxy.Len)
        {
            findings.Add(new Finding(file, logger.Line, Severity.Warning, $"logger len {len} is below the schema's {schema.Haproxy.Len}", $"set 'len {schema.Haproxy.Len}'", schema.Haproxy.At("len")));
        }

        var uriLen = global!.Lines.LastOrDefault(x => x.Is("tune.http.logurilen"));
        var deployedUriLen = uriLen is not null && uriLen.Words.Count > 1 && int.TryParse(uriLen.Words[1], out var u) ? u : 1024;
        if (deployedUriLen < schema.Haproxy.LogUriLen)
        {
            findings.Add(new Finding(file, uriLen?.Line ?? global.Line, Severity.Error, $"tune.http.logurilen is {deployedUriLen}{(uriLen is null ? " (HAProxy's default)" : string.Empty)}, below the schema's {schema.Haproxy.LogUriLen}: long URIs lose their query string", $"set 'tune.http.logurilen {schema.Haproxy.LogUriLen}'", schema.Haproxy.At("logurilen")));
        }

        return true;
    }

    private static bool LogsToForwarder(HaproxyConfigFile config, ConfigSection proxy, bool globalLogger)
    {
        bool Logs(ConfigSection? s) => s is not null && s.Lines.Any(l => l.Is("log", "global"));
        var own = proxy.Lines.Any(l => l.Is("no", "log"));
        return !own && globalLogger && (Logs(proxy) || Logs(config.DefaultsFor(proxy)));
    }

    private static void CheckSlots(LogSchema schema, ConfigSection proxy, IReadOnlyList<DeployedSlot> slots, string file, List<Finding> findings)
    {
        foreach (var expected in schema.Captures.All)
        {
            var actual = slots.FirstOrDefault(s => s.Direction == expected.Direction && s.Index == expected.Slot);
            var where = $"{DeployedCaptures.Name(expected.Direction)} capture slot {expected.Slot} of {proxy.Kind} '{proxy.Name}'";
            if (actual is null)
            {
                findings.Add(new Finding(file, proxy.Line, Severity.Error, $"{where} is missing; the schema captures '{expected.Header}' there", "add the capture lines from generated/haproxy/captures.cfg", expected.Location));
                continue;
            }

            if (!string.Equals(actual.Header, expected.Header, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new Finding(file, actual.Line, Severity.Error, $"{where} captures '{actual.Header ?? "(nothing)"}' but the schema puts '{expected.Header}' there; its values would land in the wrong field", "restore the schema's capture order (generated/haproxy/captures.cfg)", expected.Location));
            }
            else if (actual.Len != expected.Len)
            {
                findings.Add(new Finding(file, actual.Line, Severity.Error, $"{where} ('{expected.Header}') has len {actual.Len}, the schema {expected.Len}", $"set len {expected.Len}", expected.Location));
            }

            if (actual.SplitsOnCommas)
            {
                findings.Add(new Finding(file, actual.Line, Severity.Error, $"{where} uses a hdr() fetch, which keeps only the last comma-separated part of '{actual.Header}'", "use req.fhdr()/res.fhdr() or 'capture request header'", expected.Location));
            }
        }

        foreach (var extra in slots.Where(s => (s.Direction == CaptureDirection.Request ? schema.Captures.Request : schema.Captures.Response).Length <= s.Index))
        {
            findings.Add(new Finding(file, extra.Line, Severity.Warning, $"{DeployedCaptures.Name(extra.Direction)} capture slot {extra.Index} ('{extra.Header}') is not in the schema", "add it to the schema or remove it"));
        }
    }

    private static void CheckLogFormatSd(LogSchema schema, HaproxyConfigFile config, ConfigSection proxy, IReadOnlyList<DeployedSlot> slots, List<Finding> findings)
    {
        var file = config.Path;
        var line = proxy.Lines.LastOrDefault(l => l.Is("log-format-sd")) ?? config.DefaultsFor(proxy)?.Lines.LastOrDefault(l => l.Is("log-format-sd"));
        if (line is null)
        {
            findings.Add(new Finding(file, proxy.Line, Severity.Error, $"{proxy.Kind} '{proxy.Name}' logs to the forwarder without a log-format-sd (in itself or its defaults)", "add the log-format-sd line from generated/haproxy/log-format.cfg"));
            return;
        }

        var sd = SdFormat.Parse(string.Join(' ', line.Words.Skip(1)));
        if (sd is null)
        {
            findings.Add(new Finding(file, line.Line, Severity.Error, "log-format-sd is not one structured-data element '[ID name=\"value\" ...]'", "use the line from generated/haproxy/log-format.cfg"));
            return;
        }

        if (sd.SdId != schema.SdId)
        {
            findings.Add(new Finding(file, line.Line, Severity.Error, $"log-format-sd has SD-ID '{sd.SdId}', the schema '{schema.SdId}'; the forwarder ignores other elements", $"write '[{schema.SdId} ...'"));
        }

        if (!sd.EscapeFlag)
        {
            findings.Add(new Finding(file, line.Line, Severity.Error, "log-format-sd does not start with %{+E}o, so '\"', '\\' and ']' in values break the structured data", "start it with %{+E}o"));
        }

        var expected = schema.Fields.Select(f => (Name: f.SdParam, Field: (FieldSpec?)f)).Append((Name: LogSchema.FingerprintParam, Field: null)).ToList();
        for (var i = 0; i < Math.Max(expected.Count, sd.Params.Count); i++)
        {
            var want = i < expected.Count ? expected[i] : default;
            var have = i < sd.Params.Count ? sd.Params[i] : null;
            if (have is null)
            {
                findings.Add(new Finding(file, line.Line, Severity.Error, $"log-format-sd lacks parameter '{want.Name}' (position {i + 1})", "use the line from generated/haproxy/log-format.cfg", want.Field?.Location));
                continue;
            }

            if (want.Name is null)
            {
                findings.Add(new Finding(file, line.Line, Severity.Warning, $"log-format-sd parameter '{have.Name}' is not in the schema; the forwarder counts and drops it", "add it to the schema or remove it"));
                continue;
            }

            if (have.Name != want.Name)
            {
                var elsewhere = sd.Params.Select((p, k) => (p, k)).FirstOrDefault(x => x.p.Name == want.Name);
                var what = elsewhere.p is null
                    ? $"parameter {i + 1} is '{have.Name}' where the schema has '{want.Name}' (renamed or missing)"
                    : $"parameter '{want.Name}' is at position {elsewhere.k + 1}, the schema has it at {i + 1} (reordered)";
                findings.Add(new Finding(file, line.Line, Severity.Error, "log-format-sd " + what, "use the line from generated/haproxy/log-format.cfg", want.Field?.Location));
                continue;
            }

            CheckParam(schema, want.Field, have, slots, file, line.Line, findings);
        }
    }

    private static void CheckParam(LogSchema schema, FieldSpec? field, SdFormatParam have, IReadOnlyList<DeployedSlot> slots, string file, int line, List<Finding> findings)
    {
        if (!have.Quoted)
        {
            findings.Add(new Finding(file, line, Severity.Error, $"log-format-sd parameter '{have.Name}' is not between \\\"...\\\"{(have.QuoteFlag ? "; +Q does not quote numbers, so numeric values make the SD invalid" : string.Empty)}", $"write {have.Name}=\\\"...\\\"", field?.Location));
        }

        if (field is null)
        {
            if (have.Expression != Fingerprint.Of(schema))
            {
                findings.Add(new Finding(file, line, Severity.Error, $"log-format-sd carries fingerprint '{have.Expression}', the schema's is '{Fingerprint.Of(schema)}': the config was generated from another schema", "regenerate and deploy the HAProxy fragments"));
            }

            return;
        }

        var want = schema.ValueExpression(field);
        if (have.Expression == want || SameHeader(field, have.Expression, slots))
        {
            return;
        }

        var captured = CaptureReference().Match(have.Expression);
        var detail = captured.Success && slots.FirstOrDefault(s => s.Direction == (captured.Groups[1].Value == "req" ? CaptureDirection.Request : CaptureDirection.Response) && s.Index == int.Parse(captured.Groups[2].Value)) is { } slot
            ? $" (slot {slot.Index} holds '{slot.Header}')"
            : string.Empty;
        findings.Add(new Finding(file, line, Severity.Error, $"log-format-sd parameter '{field.SdParam}' is '{have.Expression}'{detail}, the schema reads '{want}'", $"write {field.SdParam}=\\\"{want}\\\"", field.Location));
    }

    /// <summary>A direct full-value fetch of the same header is as good as going through the capture slot.</summary>
    private static bool SameHeader(FieldSpec field, string expression, IReadOnlyList<DeployedSlot> slots)
    {
        if (field.Source is not FieldSource.Capture capture)
        {
            return false;
        }

        var reference = CaptureReference().Match(expression);
        if (reference.Success)
        {
            var direction = reference.Groups[1].Value == "req" ? CaptureDirection.Request : CaptureDirection.Response;
            var slot = slots.FirstOrDefault(s => s.Direction == direction && s.Index == int.Parse(reference.Groups[2].Value));
            return direction == capture.Direction && string.Equals(slot?.Header, capture.Header, StringComparison.OrdinalIgnoreCase);
        }

        var fetch = DirectFetch().Match(expression);
        return fetch.Success && fetch.Groups[1].Value == (capture.Direction == CaptureDirection.Request ? "req" : "res")
            && string.Equals(fetch.Groups[2].Value, capture.Header, StringComparison.OrdinalIgnoreCase);
    }

    private static string? ValueAfter(IReadOnlyList<string> words, string key)
    {
        var i = words.ToList().IndexOf(key);
        return i >= 0 && i + 1 < words.Count ? words[i + 1] : null;
    }

    [GeneratedRegex(@"^%\[capture\.(req|res)\.hdr\((\d+)\)\]$")]
    private static partial Regex CaptureReference();

    [GeneratedRegex(@"^%\[(req|res)\.fhdr\(([^)]+)\)\]$")]
    private static partial Regex DirectFetch();
}
