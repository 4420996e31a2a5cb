using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Validation;

/// <summary>Capture declarations: legal header names, sane lengths, no duplicates, every capture used.</summary>
internal static class CaptureRules
{
    // HAProxy accepts larger values, but a header longer than a default buffer (tune.bufsize 16384) never arrives.
    public const int MaxCaptureLen = 16384;

    public static void Check(LogSchema schema, DiagnosticBag bag)
    {
        foreach (var direction in new[] { schema.Captures.Request, schema.Captures.Response })
        {
            var seen = new Dictionary<string, CaptureSlot>(StringComparer.OrdinalIgnoreCase);
            foreach (var capture in direction)
            {
                var problem = Tokens.HeaderNameProblem(capture.Header);
                if (problem is not null)
                {
                    bag.Error(capture.Location, $"header name '{Tokens.Show(capture.Header)}' {problem}", "use the header's name as sent on the wire, e.g. 'User-Agent'");
                }

                if (capture.Len is < 1 or > MaxCaptureLen)
                {
                    bag.Error(capture.Location, $"capture length {capture.Len} for '{capture.Header}' is out of range", $"use a length from 1 to {MaxCaptureLen}");
                }

                if (!seen.TryAdd(capture.Header, capture))
                {
                    bag.Error(capture.Location, $"{Direction(capture)} header '{capture.Header}' is captured twice (first at line {seen[capture.Header].Location.Line})", "remove the second capture; one slot serves every field that reads it");
                }
            }
        }

        var used = schema.Fields.Select(f => f.Source).OfType<FieldSource.Capture>()
            .Select(c => (c.Direction, c.Header.ToLowerInvariant()))
            .Concat(MessageTemplate.References(schema.Haproxy.Message).Select(r => (r.Direction, r.Header.ToLowerInvariant())))
            .ToHashSet();
        foreach (var capture in schema.Captures.All.Where(c => !used.Contains((c.Direction, c.Header.ToLowerInvariant()))))
        {
            bag.Warning(capture.Location, $"{Direction(capture)} header '{capture.Header}' is captured but no field or message uses it", "remove the capture, or add a field with source '" + (capture.Direction == CaptureDirection.Request ? "request:" : "response:") + capture.Header + "'");
        }
    }

    private static string Direction(CaptureSlot c) => c.Direction == CaptureDirection.Request ? "request" : "response";
}
