using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Validation;

/// <summary>The HAProxy logger and MSG format: values HAProxy accepts, and nothing that injects config.</summary>
internal static class LoggerRules
{
    public static readonly string[] Facilities =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp", "ntp",
        "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    public static readonly string[] Levels = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

    public static void Check(LogSchema schema, DiagnosticBag bag)
    {
        var logging = schema.Haproxy;
        if (!logging.Socket.StartsWith('/') || Tokens.ConfigValueProblem(logging.Socket) is not null)
        {
            var why = Tokens.ConfigValueProblem(logging.Socket) ?? "is not an absolute path";
            bag.Error(logging.At("socket"), $"logger socket '{Tokens.Show(logging.Socket)}' {why}", "use an absolute path such as /var/run/haproxykafka/haproxykafka.sock");
        }

        if (logging.Len is < 80 or > 65535)
        {
            bag.Error(logging.At("len"), $"logger len {logging.Len} is outside what HAProxy accepts", "use a len from 80 to 65535");
        }

        if (!Facilities.Contains(logging.Facility))
        {
            bag.Error(logging.At("facility"), $"'{Tokens.Show(logging.Facility)}' is not a syslog facility HAProxy knows", Suggestion.DidYouMean(logging.Facility, Facilities));
        }

        if (!Levels.Contains(logging.Level))
        {
            bag.Error(logging.At("level"), $"'{Tokens.Show(logging.Level)}' is not a syslog level", Suggestion.DidYouMean(logging.Level, Levels));
        }

        if (logging.LogUriLen is < 64 or > 65535)
        {
            bag.Error(logging.At("logurilen"), $"logurilen {logging.LogUriLen} is out of range", "use 64 to 65535 (HAProxy's default is 1024)");
        }

        CheckMessage(schema, bag);
    }

    private static void CheckMessage(LogSchema schema, DiagnosticBag bag)
    {
        var message = schema.Haproxy.Message;
        var at = schema.Haproxy.At("message");
        if (message.IndexOfAny(['\n', '\r', '"']) >= 0)
        {
            bag.Error(at, "haproxy.message contains a line break or '\"', which would end HAProxy's quoted log-format", "remove it (HAProxy quotes values itself with %{+Q})");
        }

        foreach (var reference in MessageTemplate.References(message))
        {
            if (schema.Captures.Find(reference.Direction, reference.Header) is null)
            {
                var direction = reference.Direction == CaptureDirection.Request ? "request" : "response";
                bag.Error(at, $"haproxy.message refers to {direction} header '{reference.Header}', which is not captured", $"add it under captures.{direction}, or fix the name");
            }
        }

        if (message.Contains("@{", StringComparison.Ordinal) && MessageTemplate.References(message).Count() != CountOf(message, "@{"))
        {
            bag.Error(at, "haproxy.message has an '@{...}' that is not '@{request:NAME}' or '@{response:NAME}'", "write captures as @{request:Host} or @{response:X-Cache}");
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
