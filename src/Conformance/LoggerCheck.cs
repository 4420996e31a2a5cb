using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Validation;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Conformance;

/// <summary>The <c>global</c> logger that writes to the forwarder's socket, and <c>tune.http.logurilen</c>.</summary>
internal static class LoggerCheck
{
    /// <summary>Adds the findings; true when a logger targets the schema's socket.</summary>
    public static bool Check(LogSchema schema, HaproxyConfigFile config, IReadOnlyList<ConfigSection> global, List<Finding> findings)
    {
        var socket = schema.Haproxy.Socket;
        var globalLines = global.SelectMany(s => s.Lines).ToList();
        CheckLogUriLen(schema, config, global, globalLines, findings);

        var loggers = globalLines.Where(l => l.Is("log") && l.Words.Count > 1).ToList();
        var logger = loggers.FirstOrDefault(l => l.Words[1] == socket);
        if (logger is null)
        {
            // The logger that writes RFC 5424 elsewhere is the one meant for the forwarder: the finding is its line.
            var meant = loggers.FirstOrDefault(l => ValueAfter(l.Words, "format") == "rfc5424");
            if (meant is not null)
            {
                findings.Add(new Finding(meant.File, meant.Line, Severity.Error, $"the rfc5424 logger writes to '{meant.Words[1]}', not the forwarder's socket '{socket}'; the forwarder receives nothing", $"write 'log {socket} ...' (generated/haproxy/global.cfg)", schema.Haproxy.At("socket")));
                CheckLoggerOptions(schema, meant, findings);
            }
            else
            {
                var others = string.Join(", ", loggers.Select(l => $"'{l.Words[1]}' (line {l.Line})"));
                var at = global.FirstOrDefault();
                findings.Add(new Finding(at?.File ?? config.Path, at?.Line ?? 1, Severity.Error, $"no global logger targets the forwarder socket '{socket}'" + (others.Length > 0 ? $"; loggers found: {others}" : string.Empty), "use the 'log' line from generated/haproxy/global.cfg", schema.Haproxy.At("socket")));
            }

            return false;
        }

        CheckLoggerOptions(schema, logger, findings);
        return true;
    }

    private static void CheckLoggerOptions(LogSchema schema, ConfigLine logger, List<Finding> findings)
    {
        var words = logger.Words;
        var format = ValueAfter(words, "format");
        if (format != "rfc5424")
        {
            findings.Add(new Finding(logger.File, logger.Line, Severity.Error, $"the forwarder logger uses format '{format ?? "rfc3164 (default)"}'; structured data needs rfc5424", "write 'format rfc5424'"));
        }

        var budget = LenBudget.Compute(schema);
        var len = int.TryParse(ValueAfter(words, "len"), out var l) ? l : 1024;
        if (len < budget.MinimumLen)
        {
            findings.Add(new Finding(logger.File, logger.Line, Severity.Error, $"logger len {len} is below the {budget.MinimumLen} bytes a line with every value at its maximum needs; HAProxy empties the SD of every longer line", $"set 'len {schema.Haproxy.Len}'", schema.Haproxy.At("len")));
        }
        else if (len < schema.Haproxy.Len)
        {
            findings.Add(new Finding(logger.File, logger.Line, Severity.Warning, $"logger len {len} is below the schema's {schema.Haproxy.Len}", $"set 'len {schema.Haproxy.Len}'", schema.Haproxy.At("len")));
        }
    }

    private static void CheckLogUriLen(LogSchema schema, HaproxyConfigFile config, IReadOnlyList<ConfigSection> global, List<ConfigLine> globalLines, List<Finding> findings)
    {
        var uriLen = globalLines.LastOrDefault(x => x.Is("tune.http.logurilen"));
        var deployed = uriLen is not null && uriLen.Words.Count > 1 && int.TryParse(uriLen.Words[1], out var u) ? u : 1024;
        if (deployed < schema.Haproxy.LogUriLen)
        {
            var at = global.FirstOrDefault();
            findings.Add(new Finding(uriLen?.File ?? at?.File ?? config.Path, uriLen?.Line ?? at?.Line ?? 1, Severity.Error, $"tune.http.logurilen is {deployed}{(uriLen is null ? " (HAProxy's default)" : string.Empty)}, below the schema's {schema.Haproxy.LogUriLen}: long URIs lose their query string", $"set 'tune.http.logurilen {schema.Haproxy.LogUriLen}'", schema.Haproxy.At("logurilen")));
        }
    }

    internal static string? ValueAfter(IReadOnlyList<string> words, string key)
    {
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (words[i] == key)
            {
                return words[i + 1];
            }
        }

        return null;
    }
}
