using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Conformance;

/// <summary>The effective <c>log-format</c> (the MSG part of every line) of a proxy, compared with the schema's <c>message</c>.</summary>
internal static class MessageFormatCheck
{
    public static void Check(LogSchema schema, HaproxyConfigFile config, ConfigSection proxy, LogFormatEquivalence equivalence, List<Finding> findings)
    {
        var line = proxy.Lines.LastOrDefault(l => l.Is("log-format")) ?? config.DefaultsFor(proxy)?.Lines.LastOrDefault(l => l.Is("log-format"));
        if (line is null)
        {
            findings.Add(new Finding(proxy.File, proxy.Line, Severity.Warning, $"{proxy.Kind} '{proxy.Name}' has no log-format (in itself or its defaults): the MSG part is HAProxy's default, not the schema's '{schema.Haproxy.Message}'", "add the log-format line from generated/haproxy/log-format.cfg", schema.Haproxy.At("message")));
            return;
        }

        var value = string.Join(' ', line.Words.Skip(1));
        HeaderFetchCheck.Check(value, "log-format", line, findings);
        if (equivalence.Canonical(value) != LogFormatEquivalence.CanonicalOfMessage(schema.Haproxy.Message))
        {
            findings.Add(new Finding(line.File, line.Line, Severity.Error, $"log-format (the MSG part) is '{value}', the schema's message is '{schema.Haproxy.Message}' (@{{request:H}} is the capture of header H)", "use the log-format line from generated/haproxy/log-format.cfg", schema.Haproxy.At("message")));
        }
    }
}
