using System.Text.RegularExpressions;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>Edits of the harness's daemon config (production's, on loopback) that put a fault within a test's reach.</summary>
internal static partial class FaultConfig
{
    private const string LastRdkafkaLine = "    reconnect.backoff.max.ms: 500\n";

    /// <summary>Adds librdkafka properties under <c>kafka.rdkafka</c>.</summary>
    public static Func<string, string> Rdkafka(params (string Name, string Value)[] properties) =>
        text => text.ReplaceOnce(LastRdkafkaLine, LastRdkafkaLine + string.Concat(properties.Select(p => $"    {p.Name}: {p.Value}\n")));

    /// <summary>No DLQ topic: every dead letter goes to the file, the store a crash or a full disk can damage.</summary>
    public static string WithoutDlqTopic(string text) => DlqTopicLine().Replace(text, "  dlq_topic: ''", 1);

    public static Func<string, string> DeadLetterPath(string path) => text => DeadLetterPathLine().Replace(text, $"dead_letter_path: {path}", 1);

    public static Func<string, string> StallTimeout(string duration) => text => StallTimeoutLine().Replace(text, $"  stall_timeout: {duration}", 1);

    public static Func<string, string> Then(this Func<string, string> first, Func<string, string> second) => text => second(first(text));

    [GeneratedRegex("^  dlq_topic: .*$", RegexOptions.Multiline)]
    private static partial Regex DlqTopicLine();

    [GeneratedRegex("^dead_letter_path: .*$", RegexOptions.Multiline)]
    private static partial Regex DeadLetterPathLine();

    [GeneratedRegex("^  stall_timeout: .*$", RegexOptions.Multiline)]
    private static partial Regex StallTimeoutLine();
}
