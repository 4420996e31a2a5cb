using System.Text.RegularExpressions;

namespace HaproxyKafka.Conformance;

/// <summary>One parameter of a deployed log-format-sd: its name, the log-format expression, and how it was written.</summary>
public sealed record SdFormatParam(string Name, string Expression, bool Quoted, bool QuoteFlag);

/// <summary>A deployed <c>log-format-sd</c> value, parsed into its SD-ID and parameters.</summary>
public sealed partial record SdFormat(bool EscapeFlag, string SdId, IReadOnlyList<SdFormatParam> Params)
{
    public static SdFormat? Parse(string value)
    {
        var at = 0;
        var escape = false;
        var flags = GlobalFlags().Match(value);
        if (flags.Success)
        {
            escape = flags.Groups[1].Value.Contains("+E", StringComparison.Ordinal);
            at = flags.Length;
        }

        // Production writes '%{+E}o\ [...': the flags item may be followed by a space.
        while (at < value.Length && value[at] == ' ')
        {
            at++;
        }

        if (at >= value.Length || value[at] != '[')
        {
            return null;
        }

        var idEnd = value.IndexOfAny([' ', ']'], at);
        if (idEnd < 0)
        {
            return null;
        }

        var id = value[(at + 1)..idEnd];
        at = idEnd;
        var parameters = new List<SdFormatParam>();
        while (at < value.Length && value[at] == ' ')
        {
            at++;
            var eq = value.IndexOf('=', at);
            if (eq < 0)
            {
                return null;
            }

            var name = value[at..eq];
            at = eq + 1;
            string expression;
            var quoted = at < value.Length && value[at] == '"';
            if (quoted)
            {
                var close = value.IndexOf('"', at + 1);
                if (close < 0)
                {
                    return null;
                }

                expression = value[(at + 1)..close];
                at = close + 1;
            }
            else
            {
                var end = value.IndexOfAny([' ', ']'], at);
                end = end < 0 ? value.Length : end;
                expression = value[at..end];
                at = end;
            }

            var quoteFlag = expression.Contains("+Q", StringComparison.Ordinal);
            parameters.Add(new SdFormatParam(name, ItemFlags().Replace(expression, "%"), quoted, quoteFlag));
        }

        return new SdFormat(escape, id, parameters);
    }

    [GeneratedRegex(@"^%\{([^}]*)\}o")]
    private static partial Regex GlobalFlags();

    [GeneratedRegex(@"%\{[^}]*\}")]
    private static partial Regex ItemFlags();
}
