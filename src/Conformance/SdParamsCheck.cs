using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Conformance;

/// <summary>
/// A proxy's effective <c>log-format-sd</c> against the schema: SD-ID, escaping, then parameters by name (a param
/// the schema has under another name but with the same source is a rename), missing and extra ones once each,
/// order only among the params both share, then each shared param's quoting and value.
/// </summary>
internal static class SdParamsCheck
{
    private const string Fix = "use the line from generated/haproxy/log-format.cfg";

    private sealed record Expected(string Name, FieldSpec? Field, int Position);

    public static void Check(LogSchema schema, HaproxyConfigFile config, ConfigSection proxy, IReadOnlyList<DeployedSlot> slots, LogFormatEquivalence equivalence, List<Finding> findings)
    {
        var line = proxy.Lines.LastOrDefault(l => l.Is("log-format-sd")) ?? config.DefaultsFor(proxy)?.Lines.LastOrDefault(l => l.Is("log-format-sd"));
        if (line is null)
        {
            findings.Add(new Finding(proxy.File, proxy.Line, Severity.Error, $"{proxy.Kind} '{proxy.Name}' logs without a log-format-sd (in itself or its defaults)", "add the log-format-sd line from generated/haproxy/log-format.cfg"));
            return;
        }

        var value = string.Join(' ', line.Words.Skip(1));
        HeaderFetchCheck.Check(value, "log-format-sd", line, findings);
        var sd = SdFormat.Parse(value);
        if (sd is null)
        {
            findings.Add(new Finding(line.File, line.Line, Severity.Error, "log-format-sd is not one structured-data element '[ID name=\"value\" ...]'", Fix));
            return;
        }

        Finding At(Severity severity, string message, string fix, SourceLocation? schemaAt = null) => new(line.File, line.Line, severity, message, fix, schemaAt);

        if (sd.SdId != schema.SdId)
        {
            findings.Add(At(Severity.Error, $"log-format-sd has SD-ID '{sd.SdId}', the schema '{schema.SdId}'; the forwarder ignores other elements", $"write '[{schema.SdId} ...'"));
        }

        if (!sd.EscapeFlag)
        {
            findings.Add(At(Severity.Error, "log-format-sd does not start with %{+E}o, so '\"', '\\' and ']' in values break the structured data", "start it with %{+E}o"));
        }

        var expected = schema.Fields.Select((f, i) => new Expected(f.SdParam, f, i + 1))
            .Append(new Expected(LogSchema.FingerprintParam, null, schema.Fields.Length + 1)).ToList();
        var deployedNames = sd.Params.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var expectedNames = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

        // Pairs (deployed param, schema param): same name, or a rename when the source is the schema's.
        var pairs = new List<(SdFormatParam Have, Expected Want)>();
        var missing = expected.Where(e => !deployedNames.Contains(e.Name)).ToList();
        foreach (var have in sd.Params)
        {
            if (expected.FirstOrDefault(e => e.Name == have.Name) is { } same)
            {
                pairs.Add((have, same));
                continue;
            }

            var canonical = equivalence.Canonical(have.Expression);
            var renamed = missing.FirstOrDefault(e => e.Field is not null && LogFormatEquivalence.CanonicalOfSchema(schema, e.Field) == canonical);
            if (renamed is not null)
            {
                missing.Remove(renamed);
                pairs.Add((have, renamed));
                findings.Add(At(Severity.Error, $"log-format-sd parameter '{have.Name}' carries what the schema calls '{renamed.Name}' ({have.Expression}): renamed, the forwarder would not find '{renamed.Name}'", $"rename it to {renamed.Name}=\\\"...\\\"", renamed.Field?.Location));
            }
            else
            {
                findings.Add(At(Severity.Warning, $"log-format-sd parameter '{have.Name}' is not in the schema; the forwarder counts and drops it", "add it to the schema or remove it"));
            }
        }

        foreach (var want in missing)
        {
            findings.Add(At(Severity.Error, $"log-format-sd lacks parameter '{want.Name}' (schema position {want.Position})", Fix, want.Field?.Location));
        }

        foreach (var (have, want) in OutOfOrder(pairs))
        {
            findings.Add(At(Severity.Error, $"log-format-sd parameter '{have.Name}' is out of order: the schema has it at position {want.Position} (reordered)", Fix, want.Field?.Location));
        }

        foreach (var (have, want) in pairs)
        {
            CheckParam(schema, want.Field, have, slots, equivalence, line, findings);
        }
    }

    /// <summary>The fewest params whose moving restores the schema's order: those outside a longest increasing run of schema positions.</summary>
    private static IEnumerable<(SdFormatParam Have, Expected Want)> OutOfOrder(List<(SdFormatParam Have, Expected Want)> pairs)
    {
        var n = pairs.Count;
        var length = new int[n];
        var previous = new int[n];
        var best = -1;
        for (var i = 0; i < n; i++)
        {
            length[i] = 1;
            previous[i] = -1;
            for (var j = 0; j < i; j++)
            {
                if (pairs[j].Want.Position < pairs[i].Want.Position && length[j] + 1 > length[i])
                {
                    length[i] = length[j] + 1;
                    previous[i] = j;
                }
            }

            if (best < 0 || length[i] > length[best])
            {
                best = i;
            }
        }

        var inOrder = new HashSet<int>();
        for (var k = best; k >= 0; k = previous[k])
        {
            inOrder.Add(k);
        }

        return pairs.Where((_, i) => !inOrder.Contains(i));
    }

    private static void CheckParam(LogSchema schema, FieldSpec? field, SdFormatParam have, IReadOnlyList<DeployedSlot> slots, LogFormatEquivalence equivalence, ConfigLine line, List<Finding> findings)
    {
        if (!have.Quoted)
        {
            findings.Add(new Finding(line.File, line.Line, Severity.Error, $"log-format-sd parameter '{have.Name}' is not between \\\"...\\\"{(have.QuoteFlag ? "; +Q does not quote numbers, so numeric values make the SD invalid" : string.Empty)}", $"write {have.Name}=\\\"...\\\"", field?.Location));
        }

        if (field is null)
        {
            if (have.Expression != Fingerprint.Of(schema))
            {
                findings.Add(new Finding(line.File, line.Line, Severity.Error, $"log-format-sd carries fingerprint '{have.Expression}', the schema's is '{Fingerprint.Of(schema)}': the config was generated from another schema", "regenerate and deploy the HAProxy fragments"));
            }

            return;
        }

        // A header fetch is already reported: HAProxy refuses the line, so its value is never written.
        var want = schema.ValueExpression(field);
        if (LogFormatEquivalence.HeaderFetch(have.Expression).Success || equivalence.Canonical(have.Expression) == LogFormatEquivalence.CanonicalOfSchema(schema, field))
        {
            return;
        }

        var captured = System.Text.RegularExpressions.Regex.Match(have.Expression, @"^%\[capture\.(req|res)\.hdr\((\d+)\)\]$");
        var detail = captured.Success && slots.FirstOrDefault(s => s.Direction == (captured.Groups[1].Value == "req" ? CaptureDirection.Request : CaptureDirection.Response) && s.Index == int.Parse(captured.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) is { } slot
            ? $" (slot {slot.Index} holds '{slot.Header}')"
            : string.Empty;
        findings.Add(new Finding(line.File, line.Line, Severity.Error, $"log-format-sd parameter '{field.SdParam}' is '{have.Expression}'{detail}, the schema reads '{want}'", $"write {field.SdParam}=\\\"{want}\\\"", field.Location));
    }
}
