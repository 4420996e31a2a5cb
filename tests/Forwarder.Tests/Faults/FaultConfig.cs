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
    public static string WithoutDlqTopic(string text) => ReplaceLine(text, DlqTopicLine(), "  dlq_topic: ''");

    public static Func<string, string> DeadLetterPath(string path) => text => ReplaceLine(text, DeadLetterPathLine(), $"dead_letter_path: {path}");

    public static Func<string, string> StallTimeout(string duration) => text => ReplaceLine(text, StallTimeoutLine(), $"  stall_timeout: {duration}");

    public static Func<string, string> Then(this Func<string, string> first, Func<string, string> second) => text => second(first(text));

    /// <summary>Replaces the one line <paramref name="line"/> matches; a harness config without it fails the test rather than running it unfaulted.</summary>
    private static string ReplaceLine(string text, Regex line, string with) =>
        line.Count(text) == 1 ? line.Replace(text, with, 1) : throw new ArgumentException($"the harness config has no single line matching '{line}'");

    [GeneratedRegex("^  dlq_topic: .*$", RegexOptions.Multiline)]
    private static partial Regex DlqTopicLine();

    [GeneratedRegex("^dead_letter_path: .*$", RegexOptions.Multiline)]
    private static partial Regex DeadLetterPathLine();

    [GeneratedRegex("^  stall_timeout: .*$", RegexOptions.Multiline)]
    private static partial Regex StallTimeoutLine();
}
