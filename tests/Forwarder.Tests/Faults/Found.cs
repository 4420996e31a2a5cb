using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Harness;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>
/// Where the sequence-numbered lines of a fault test ended up, read from outside the daemon: the topic with kcat,
/// the dead-letter file with the reader <c>haproxykafka replay</c> uses.
/// </summary>
internal static partial class Found
{
    /// <summary>The <c>sequence</c> of every message on <paramref name="topic"/>, duplicates kept.</summary>
    public static async Task<IReadOnlyList<long>> OnTopicAsync(string brokers, string topic) =>
        [.. (await Kcat.ReadAllAsync(brokers, topic)).Select(json => JsonDocument.Parse(json).RootElement.GetProperty("sequence").GetInt64())];

    /// <summary>The dead letters on the DLQ topic (each message is one record, as in the file).</summary>
    public static async Task<IReadOnlyList<DeadLetter>> OnDlqTopicAsync(string brokers, string topic) =>
        [.. (await Kcat.ReadAllAsync(brokers, topic)).Select(json => JsonSerializer.Deserialize(json, DeadLetterJson.Default.DeadLetter)!)];

    /// <summary>
    /// The dead-letter file's records. A crash can cut the last write short; such a tail (text after the last newline)
    /// is returned apart, so the caller can say so, and every whole line must parse.
    /// </summary>
    public static DeadLetterFileContent DeadLetters(string path)
    {
        if (!File.Exists(path))
        {
            return new DeadLetterFileContent([], null);
        }

        var bytes = File.ReadAllBytes(path);
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        var whole = Path.GetTempFileName(); // not beside the file: that disk may be full
        File.WriteAllBytes(whole, bytes[..end]);
        try
        {
            return new DeadLetterFileContent([.. DeadLetterFile.Read(whole)], end < bytes.Length ? Encoding.UTF8.GetString(bytes[end..]) : null);
        }
        finally
        {
            File.Delete(whole);
        }
    }

    /// <summary>The sequence of the line a dead letter holds: the raw datagram of a rejected line, or the mapped message Kafka refused.</summary>
    public static long SequenceOf(DeadLetter letter)
    {
        if (letter.Message is not null)
        {
            return JsonDocument.Parse(letter.Message).RootElement.GetProperty("sequence").GetInt64();
        }

        var line = Encoding.UTF8.GetString(Convert.FromBase64String(letter.LineBase64!));
        return long.Parse(SequenceParam().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("sequence=\"([0-9]+)\"")]
    private static partial Regex SequenceParam();
}

/// <summary>The whole records of a dead-letter file and, if the last write was cut short, what it left.</summary>
internal sealed record DeadLetterFileContent(IReadOnlyList<DeadLetter> Letters, string? TornTail);
