using System.Text;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Generator.Rendering;

/// <summary>
/// The HAProxy text derived from a schema: formats as HAProxy reads them (after unquoting), and the capture
/// declarations in slot order. Quoting for the config file is a separate step (<see cref="QuoteForConfig"/>).
/// </summary>
public static class HaproxyFormats
{
    /// <summary>
    /// One SD element; <c>%{+E}o</c> turns on RFC 5424 escaping for every item, and every value is quoted by hand
    /// because <c>+Q</c> leaves numbers bare, which is invalid SD.
    /// </summary>
    public static string LogFormatSd(LogSchema schema, string fingerprint)
    {
        var sd = new StringBuilder("%{+E}o[").Append(schema.SdId);
        foreach (var field in schema.Fields)
        {
            sd.Append(' ').Append(field.SdParam).Append("=\"").Append(schema.ValueExpression(field)).Append('"');
        }

        return sd.Append(' ').Append(LogSchema.FingerprintParam).Append("=\"").Append(fingerprint).Append("\"]").ToString();
    }

    public static string LogFormat(LogSchema schema) => MessageTemplate.Render(schema.Haproxy.Message, schema.Captures);

    /// <summary>
    /// Declarations first, in slot order per direction (a declaration's position is its slot), then the rules
    /// that fill declared slots. Full-value fetches only: <c>req.hdr()</c> would split values on commas.
    /// </summary>
    public static IReadOnlyList<string> CaptureLines(CaptureSet captures)
    {
        var lines = new List<string>();
        foreach (var c in captures.All)
        {
            var direction = c.Direction == CaptureDirection.Request ? "request" : "response";
            lines.Add(c.AfterRules
                ? $"declare capture {direction} len {c.Len}"
                : $"capture {direction} header {c.Header} len {c.Len}");
        }

        foreach (var c in captures.All.Where(c => c.AfterRules))
        {
            lines.Add(c.Direction == CaptureDirection.Request
                ? $"http-request capture req.fhdr({c.Header}) id {c.Slot}"
                : $"http-response capture res.fhdr({c.Header}) id {c.Slot}");
        }

        return lines;
    }

    /// <summary>Escapes a value for use between double quotes in haproxy.cfg.</summary>
    public static string QuoteForConfig(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
