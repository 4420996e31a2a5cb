namespace HaproxyKafka.Schema.Validation;

/// <summary>Character rules of the formats the schema's names end up in.</summary>
public static class Tokens
{
    /// <summary>RFC 5424 SD-NAME: 1 to 32 printable US-ASCII characters except <c>=</c>, space, <c>]</c> and <c>"</c>.</summary>
    public static string? SdNameProblem(string name)
    {
        if (name.Length is 0 or > 32)
        {
            return $"is {name.Length} characters long; RFC 5424 allows 1 to 32";
        }

        foreach (var c in name)
        {
            if (c is < '!' or > '~')
            {
                return $"contains {Describe(c)}, which RFC 5424 does not allow in a name (printable ASCII only)";
            }

            if (c is '=' or ']' or '"')
            {
                return $"contains '{c}', which RFC 5424 forbids in a name";
            }

            // Backslash and quotes would have to be escaped inside HAProxy's quoted log-format-sd.
            if (c is '\\' or '\'' or '#' or '%' or '{' or '}')
            {
                return $"contains '{c}', which would change the meaning of HAProxy's log-format-sd";
            }
        }

        return null;
    }

    /// <summary>RFC 7230 token, minus the characters HAProxy's config parser treats as quoting or comments.</summary>
    public static string? HeaderNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || "!$%&*+-.^_`|~".Contains(c))
            {
                continue;
            }

            return c is '\'' or '#'
                ? $"contains '{c}', which HAProxy's config parser reads as a quote or comment"
                : $"contains {Describe(c)}, which is not allowed in an HTTP header name (RFC 7230 token)";
        }

        return null;
    }

    /// <summary>Plain words that end up verbatim in HAProxy, Puppet and YAML files: no way to inject syntax.</summary>
    public static string? ConfigValueProblem(string value)
    {
        foreach (var c in value)
        {
            if (c is '\n' or '\r')
            {
                return "contains a line break, which would start a new config directive";
            }

            if (char.IsControl(c))
            {
                return $"contains {Describe(c)}";
            }

            if (c is '"' or '\'' or '\\' or '#' or ' ' or '\t' or '$' or '{' or '}')
            {
                return $"contains '{Printable(c)}', which would be read as quoting, a comment or a variable in generated config";
            }
        }

        return null;
    }

    public static bool IsKafkaTopic(string topic) =>
        topic.Length is > 0 and <= 249 && topic is not "." and not ".." &&
        topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public static bool IsJsonKey(string key) =>
        key.Length > 0 && !char.IsAsciiDigit(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    public static string Describe(char c) => $"U+{(int)c:X4}";

    /// <summary>A user's value as it can be shown on one line of a diagnostic: control characters as U+XXXX.</summary>
    public static string Show(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"<{Describe(c)}>" : c.ToString()));

    private static string Printable(char c) => c switch
    {
        ' ' => "space",
        '\t' => "tab",
        _ => c.ToString(),
    };
}
