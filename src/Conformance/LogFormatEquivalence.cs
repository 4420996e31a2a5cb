using System.Text.RegularExpressions;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Log-format spellings HAProxy writes the same bytes for, reduced to one form so that a deployed expression can be
/// compared with the schema's: <c>%ID</c> and <c>%[unique-id]</c> are the proxy's <c>unique-id-format</c>; an
/// alias is its sample fetch as HAProxy's manual pairs them (8.2.6: <c>%ci</c> is <c>%[src]</c>, ...); a capture
/// slot is the header it holds.
/// </summary>
public sealed partial class LogFormatEquivalence
{
    // Only pairs the manual gives as the same value; timers and request-line items are not here because their
    // fetches differ on aborted or bad requests.
    private static readonly Dictionary<string, string> FetchToAlias = new(StringComparer.Ordinal)
    {
        ["%[src]"] = "%ci",
        ["%[src_port]"] = "%cp",
        ["%[dst]"] = "%fi",
        ["%[dst_port]"] = "%fp",
        ["%[pid]"] = "%pid",
    };

    private readonly string? _uniqueIdFormat;
    private readonly IReadOnlyList<DeployedSlot> _slots;

    public LogFormatEquivalence(string? uniqueIdFormat, IReadOnlyList<DeployedSlot> slots)
    {
        _uniqueIdFormat = uniqueIdFormat;
        _slots = slots;
    }

    /// <summary>The proxy's (or its defaults') <c>unique-id-format</c>, flags kept (<c>%{+X}rt</c> is hex, not <c>%rt</c>); null when none is set.</summary>
    public static string? UniqueIdFormatOf(HaproxyConfigFile config, ConfigSection proxy)
    {
        var line = proxy.Lines.LastOrDefault(l => l.Is("unique-id-format")) ?? config.DefaultsFor(proxy)?.Lines.LastOrDefault(l => l.Is("unique-id-format"));
        return line is null || line.Words.Count < 2 ? null : string.Join(' ', line.Words.Skip(1));
    }

    /// <summary>The expression in its canonical form: unique id resolved, fetches as their alias, capture slots as the header they hold.</summary>
    public string Canonical(string expression)
    {
        var e = ItemFlags().Replace(expression.Trim(), "%");
        if (_uniqueIdFormat is { } format && !format.Contains("%ID", StringComparison.Ordinal) && !format.Contains("unique-id", StringComparison.Ordinal))
        {
            e = UniqueId().Replace(e, format);
        }

        e = Fetch().Replace(e, m => FetchToAlias.TryGetValue(m.Value, out var alias) ? alias : m.Value);
        return CaptureReference().Replace(e, m =>
        {
            var direction = m.Groups[1].Value == "req" ? CaptureDirection.Request : CaptureDirection.Response;
            var slot = _slots.FirstOrDefault(s => s.Direction == direction && s.Index == int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            return slot?.Header is { } header ? $"@{{{CaptureDirections.Spelling(direction)}:{header.ToLowerInvariant()}}}" : m.Value;
        });
    }

    /// <summary>The schema's expression for a field, in the same canonical form (a capture by its header name).</summary>
    public static string CanonicalOfSchema(LogSchema schema, FieldSpec field) => field.Source switch
    {
        FieldSource.Capture c => $"@{{{CaptureDirections.Spelling(c.Direction)}:{c.Header.ToLowerInvariant()}}}",
        _ => new LogFormatEquivalence(null, []).Canonical(schema.ValueExpression(field)),
    };

    /// <summary>The schema's MSG template (<c>@{request:Host}</c> placeholders) in the canonical form.</summary>
    public static string CanonicalOfMessage(string template) =>
        new LogFormatEquivalence(null, []).Canonical(Placeholder().Replace(template, m => $"@{{{m.Groups[1].Value}:{m.Groups[2].Value.ToLowerInvariant()}}}"));

    /// <summary>A sample fetch that needs HTTP headers, which HAProxy 2.6+ refuses in log formats ("may not be reliably used here").</summary>
    public static Match HeaderFetch(string expression) => HeaderFetchInFormat().Match(expression);

    [GeneratedRegex(@"%\{[^}]*\}")]
    private static partial Regex ItemFlags();

    [GeneratedRegex(@"%ID\b|%\[unique-id\]")]
    private static partial Regex UniqueId();

    [GeneratedRegex(@"%\[[a-z_.]+\]")]
    private static partial Regex Fetch();

    [GeneratedRegex(@"%\[capture\.(req|res)\.hdr\((\d+)\)\]")]
    private static partial Regex CaptureReference();

    [GeneratedRegex(@"@\{(request|response):([^}]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"%\[((?:req|res)\.(?:f?hdr|hdr_cnt|hdr_val|hdrs|cook|fhdr_cnt)|f?hdr|shdr|s?fhdr|cook|scook|hdr_cnt)\(([^),]*)")]
    private static partial Regex HeaderFetchInFormat();
}
