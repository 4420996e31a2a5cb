using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Conformance;

/// <summary>
/// A unique value for every captured header of one live request, and what each SD param must then carry. Values
/// hold a comma (a <c>hdr()</c> fetch would keep only the part after it), a quote and a bracket (unescaped, they
/// break the structured data), and are cut to the capture's len as HAProxy does.
/// </summary>
public sealed class LiveSentinels
{
    /// <summary>Headers whose value HTTP itself or the origin fixes; a sentinel cannot travel in them.</summary>
    private static readonly HashSet<string> Unsendable = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Date",
    };

    public LiveSentinels(LogSchema schema, string token)
    {
        Token = token;
        Path = $"/hk-live/{token}";
        Query = $"?sentinel={token}";
        ContentType = $"text/x-{token}";
        foreach (var slot in schema.Captures.All.Where(s => !Unsendable.Contains(s.Header)))
        {
            var isRequest = slot.Direction == CaptureDirection.Request;
            if (!isRequest && slot.Header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = isRequest && slot.Header.Equals("Host", StringComparison.OrdinalIgnoreCase)
                ? $"h{token}.invalid"
                : $"{(isRequest ? 'q' : 's')}{slot.Slot},\"]{token}";
            (isRequest ? RequestHeaders : ResponseHeaders)[slot.Header] = value;
        }
    }

    public string Token { get; }

    public string Path { get; }

    public string Query { get; }

    public string ContentType { get; }

    public Dictionary<string, string> RequestHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> ResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string RequestLine => $"GET {Path}{Query} HTTP/1.1";

    /// <summary>What the SD param of <paramref name="field"/> must carry; null when the value is not known in advance.</summary>
    public string? Expected(LogSchema schema, FieldSpec field)
    {
        switch (field.Source)
        {
            case FieldSource.Capture capture:
                var slot = schema.Captures.Find(capture.Direction, capture.Header)!;
                var sent = Sent(capture.Direction, capture.Header);
                return sent is null ? null : sent[..Math.Min(sent.Length, slot.Len)];
            case FieldSource.LogItem { Item.Code: var code }:
                return code switch
                {
                    "%ci" => "127.0.0.1",
                    "%ST" => "200",
                    "%ts" => "--",
                    "%HM" => "GET",
                    "%HP" or "%HPO" => Path,
                    "%HQ" => Query,
                    "%HU" => Path + Query,
                    "%HV" => "HTTP/1.1",
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>Which header's sentinel a wrong value is, to say "slot 2 holds Referer" instead of just "differs".</summary>
    public string? WhoseValue(string actual)
    {
        foreach (var (header, value) in RequestHeaders.Select(h => ("request header " + h.Key, h.Value)).Concat(ResponseHeaders.Select(h => ("response header " + h.Key, h.Value))))
        {
            if (actual.Length > 0 && value.StartsWith(actual, StringComparison.Ordinal) && actual.Length >= Math.Min(3, value.Length))
            {
                return header;
            }
        }

        return null;
    }

    private string? Sent(CaptureDirection direction, string header) =>
        direction == CaptureDirection.Response && header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
            ? ContentType
            : (direction == CaptureDirection.Request ? RequestHeaders : ResponseHeaders).GetValueOrDefault(header);
}
