using System.Text.RegularExpressions;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Conformance;

/// <summary>
/// A capture slot as a deployed proxy defines it, however it was spelled. <see cref="Line"/> is where its header
/// comes from (the fill rule, for a declared slot), <see cref="DeclaredLine"/> where its position and len come from.
/// </summary>
public sealed record DeployedSlot(CaptureDirection Direction, int Index, string? Header, int Len, int Line, bool SplitsOnCommas, string File, int DeclaredLine)
{
    public bool FilledByRule => Line != DeclaredLine;
}

/// <summary>
/// The capture slots of one frontend/listen, assigned the way HAProxy does: every <c>capture ... header</c>,
/// <c>declare capture</c> and <c>http-request capture ... len</c> takes the next slot of its direction in file
/// order; <c>http-(request|response|after-response) capture ... id N</c> fills a declared slot.
/// </summary>
public static partial class DeployedCaptures
{
    public static IReadOnlyList<DeployedSlot> Of(ConfigSection proxy, List<Finding> findings)
    {
        var file = proxy.File;
        var slots = new List<DeployedSlot>();
        int Next(CaptureDirection d) => slots.Count(s => s.Direction == d);

        foreach (var line in proxy.Lines)
        {
            var w = line.Words;
            if (line.Is("capture") && w.Count >= 6 && w[2] == "header" && w[4] == "len" && int.TryParse(w[5], out var len))
            {
                var d = w[1] == "request" ? CaptureDirection.Request : CaptureDirection.Response;
                slots.Add(new DeployedSlot(d, Next(d), w[3], len, line.Line, false, line.File, line.Line));
            }
            else if (line.Is("declare", "capture") && w.Count >= 5 && w[3] == "len" && int.TryParse(w[4], out var dlen))
            {
                var d = w[2] == "request" ? CaptureDirection.Request : CaptureDirection.Response;
                slots.Add(new DeployedSlot(d, Next(d), null, dlen, line.Line, false, line.File, line.Line));
            }
            else if (w.Count >= 5 && w[0] is "http-request" or "http-response" or "http-after-response" && w[1] == "capture")
            {
                var d = w[0] == "http-request" ? CaptureDirection.Request : CaptureDirection.Response;
                var (header, splits) = HeaderOf(w[2]);
                if (w[3] == "len" && int.TryParse(w[4], out var rlen))
                {
                    slots.Add(new DeployedSlot(d, Next(d), header, rlen, line.Line, splits, line.File, line.Line));
                }
                else if (w[3] == "id" && int.TryParse(w[4], out var id))
                {
                    var index = slots.FindIndex(s => s.Direction == d && s.Index == id);
                    if (index < 0)
                    {
                        findings.Add(new Finding(file, line.Line, Severity.Error, $"'{string.Join(' ', w)}' fills {Name(d)} capture slot {id}, which is never declared in {proxy.Kind} '{proxy.Name}'", $"add 'declare capture {Name(d)} len N' before it"));
                    }
                    else if (slots[index].Header is not null)
                    {
                        findings.Add(new Finding(file, line.Line, Severity.Error, $"{Name(d)} capture slot {id} is filled twice (already '{slots[index].Header}' from line {slots[index].Line})", "remove one of the two captures"));
                    }
                    else
                    {
                        slots[index] = slots[index] with { Header = header, SplitsOnCommas = splits, Line = line.Line };
                    }
                }
            }
        }

        return slots;
    }

    /// <summary>The header a capture sample reads; <c>req.hdr()</c>/<c>hdr()</c>/<c>res.hdr()</c> keep only the last comma-separated part.</summary>
    public static (string? Header, bool SplitsOnCommas) HeaderOf(string sample)
    {
        var match = HeaderFetch().Match(sample);
        if (!match.Success)
        {
            return (null, false);
        }

        return (match.Groups[2].Value, !match.Groups[1].Value.EndsWith("fhdr", StringComparison.Ordinal));
    }

    public static string Name(CaptureDirection d) => d == CaptureDirection.Request ? "request" : "response";

    [GeneratedRegex(@"^(req\.fhdr|res\.fhdr|req\.hdr|res\.hdr|hdr|shdr|fhdr)\(([^,)]+)")]
    private static partial Regex HeaderFetch();
}
