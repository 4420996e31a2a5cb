using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>
/// librdkafka properties that are one setting under several names (CONFIGURATION.md "alias for ..."), plus the
/// <c>topic.</c> prefix that sets a topic property globally. librdkafka applies them in order, so the last one wins
/// silently: production sets <c>acks: all</c> and <c>topic.request.required.acks: 1</c> and gets acks=1.
/// </summary>
public static class RdkafkaAliases
{
    private static readonly Dictionary<string, string> Canonical = new(StringComparer.Ordinal)
    {
        ["acks"] = "request.required.acks",
        ["linger.ms"] = "queue.buffering.max.ms",
        ["compression.type"] = "compression.codec",
        ["metadata.broker.list"] = "bootstrap.servers",
        ["retries"] = "message.send.max.retries",
        ["max.in.flight"] = "max.in.flight.requests.per.connection",
        ["delivery.timeout.ms"] = "message.timeout.ms",
        // Global properties whose own name starts with "topic.": not the topic prefix.
        ["topic.metadata.refresh.interval.ms"] = "topic.metadata.refresh.interval.ms",
        ["topic.metadata.refresh.fast.interval.ms"] = "topic.metadata.refresh.fast.interval.ms",
        ["topic.metadata.refresh.sparse"] = "topic.metadata.refresh.sparse",
        ["topic.metadata.propagation.max.ms"] = "topic.metadata.propagation.max.ms",
        ["topic.blacklist"] = "topic.blacklist",
    };

    /// <summary>The one name a property is known by, folding aliases and the <c>topic.</c> prefix.</summary>
    public static string CanonicalName(string name)
    {
        if (Canonical.TryGetValue(name, out var canonical))
        {
            return canonical;
        }

        if (name.StartsWith("topic.", StringComparison.Ordinal))
        {
            return CanonicalName(name["topic.".Length..]);
        }

        return name;
    }

    /// <summary>Every property set more than once under any of its names, with what librdkafka will actually use.</summary>
    public static void Report(IReadOnlyList<RdkafkaProperty> properties, DiagnosticBag bag, bool asErrors)
    {
        foreach (var group in properties.GroupBy(p => CanonicalName(p.Name)).Where(g => g.Count() > 1))
        {
            var list = group.ToList();
            var last = list[^1];
            // The message goes to the journal and to CI output: a secret's values are not spelled out.
            var spelled = string.Join(", ", list.Select(p => $"'{p.Name}: {RdkafkaSecrets.Shown(p)}' (line {p.Location.Line})"));
            var message = $"kafka.rdkafka sets '{group.Key}' {list.Count} times: {spelled}; librdkafka applies them in order, so the effective value is '{RdkafkaSecrets.Shown(last)}'";
            var fix = $"keep exactly one of {string.Join(", ", list.Select(p => $"'{p.Name}'"))}";
            if (asErrors)
            {
                bag.Error(last.Location, message, fix);
            }
            else
            {
                bag.Warning(last.Location, message, fix);
            }
        }
    }
}
