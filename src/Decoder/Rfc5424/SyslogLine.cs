using System.Text;

namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>
/// An RFC 5424 line as HAProxy writes it: <c>&lt;PRI&gt;1 TIMESTAMP HOST APP PROCID MSGID SD MSG</c>.
/// <see cref="TryParse"/> never throws; a line that does not conform gets a <paramref name="error"/> that says where.
/// </summary>
public sealed record SyslogLine(int Priority, string Timestamp, string Hostname, string AppName, string ProcId, string MsgId, IReadOnlyList<SdElement> StructuredData, string Message)
{
    public SdElement? Element(string sdId) => StructuredData.FirstOrDefault(e => e.Id == sdId);

    public static bool TryParse(ReadOnlySpan<byte> datagram, out SyslogLine? line, out string? error)
    {
        line = null;
        var text = Encoding.UTF8.GetString(datagram).TrimEnd('\n');
        var at = 0;
        error = null;
        if (!TryPriority(text, ref at, out var priority) || !Expect(text, ref at, "1 "))
        {
            error = "no RFC 5424 header (<PRI>1 ...)";
            return false;
        }

        var header = new string[5];
        for (var i = 0; i < header.Length; i++)
        {
            var end = text.IndexOf(' ', at);
            if (end < 0)
            {
                error = $"header ends after {i + 2} fields";
                return false;
            }

            header[i] = text[at..end];
            at = end + 1;
        }

        var elements = new List<SdElement>();
        if (at < text.Length && text[at] == '-')
        {
            at++;
        }
        else
        {
            while (at < text.Length && text[at] == '[')
            {
                if (!TryElement(text, ref at, out var element, out error))
                {
                    return false;
                }

                elements.Add(element!);
            }

            if (elements.Count == 0)
            {
                error = $"structured data expected at byte {at}";
                return false;
            }
        }

        var message = at < text.Length && text[at] == ' ' ? text[(at + 1)..] : text[at..];
        line = new SyslogLine(priority, header[0], header[1], header[2], header[3], header[4], elements, message);
        return true;
    }

    private static bool TryPriority(string text, ref int at, out int priority)
    {
        priority = 0;
        if (!Expect(text, ref at, "<"))
        {
            return false;
        }

        var end = text.IndexOf('>', at);
        if (end < 0 || end - at is < 1 or > 3 || !int.TryParse(text.AsSpan(at, end - at), out priority))
        {
            return false;
        }

        at = end + 1;
        return true;
    }

    private static bool TryElement(string text, ref int at, out SdElement? element, out string? error)
    {
        element = null;
        at++; // '['
        var idEnd = text.IndexOfAny([' ', ']'], at);
        if (idEnd < 0)
        {
            error = "structured data element is not closed";
            return false;
        }

        var id = text[at..idEnd];
        at = idEnd;
        var parameters = new List<KeyValuePair<string, string>>();
        while (at < text.Length && text[at] == ' ')
        {
            at++;
            var eq = text.IndexOf('=', at);
            if (eq < 0 || eq + 1 >= text.Length || text[eq + 1] != '"')
            {
                error = $"parameter at byte {at} of [{id}] has no =\"value\"";
                return false;
            }

            var name = text[at..eq];
            at = eq + 2;
            var value = new StringBuilder();
            while (true)
            {
                if (at >= text.Length)
                {
                    error = $"value of '{name}' in [{id}] is not closed (line cut short?)";
                    return false;
                }

                var c = text[at++];
                if (c == '"')
                {
                    break;
                }

                // RFC 5424 6.3.3: only \" \\ \] are escapes; any other backslash is kept as it is.
                if (c == '\\' && at < text.Length && text[at] is '"' or '\\' or ']')
                {
                    c = text[at++];
                }

                value.Append(c);
            }

            parameters.Add(new(name, value.ToString()));
        }

        if (at >= text.Length || text[at] != ']')
        {
            error = $"structured data element [{id}] is not closed";
            return false;
        }

        at++;
        element = new SdElement(id, parameters);
        error = null;
        return true;
    }

    private static bool Expect(string text, ref int at, string token)
    {
        if (!text.AsSpan(at).StartsWith(token, StringComparison.Ordinal))
        {
            return false;
        }

        at += token.Length;
        return true;
    }
}
