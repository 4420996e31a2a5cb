using System.Text;
using System.Text.Json;

namespace HaproxyKafka.Forwarder.DeadLetters;

/// <summary>
/// A dead letter as the hot thread hands it over: the copied bytes and the words, nothing built yet. The writer turns
/// it into a <see cref="DeadLetter"/>, so base64, UTF-8 decoding and JSON cost the writer, not the caller.
/// </summary>
internal sealed class QueuedLetter
{
    private QueuedLetter(LetterKind kind, DateTimeOffset time, string reason, string detail, string? topic, byte[] bytes)
    {
        Kind = kind;
        Time = time;
        Reason = reason;
        Detail = detail;
        Topic = topic;
        Bytes = bytes;
    }

    private enum LetterKind
    {
        /// <summary>A datagram that could not be mapped.</summary>
        Line,

        /// <summary>A mapped message Kafka did not take.</summary>
        Message,

        /// <summary>A dead letter the DLQ topic refused: its JSON as produced, for the file.</summary>
        Refused,

        /// <summary>A mapped message the disk spool could not write; for the file (Kafka was not taking it either).</summary>
        Unspoolable,
    }

    public string Reason { get; }

    /// <summary>What the letter holds against the queue's byte bound.</summary>
    public int Size => Bytes.Length;

    /// <summary>A letter the DLQ topic already refused; it only goes to the file.</summary>
    public bool FileOnly => Kind is LetterKind.Refused or LetterKind.Unspoolable;

    private LetterKind Kind { get; }

    private DateTimeOffset Time { get; }

    private string Detail { get; }

    private string? Topic { get; }

    private byte[] Bytes { get; }

    public static QueuedLetter ForLine(string reason, string detail, ReadOnlySpan<byte> line) =>
        new(LetterKind.Line, DateTimeOffset.UtcNow, reason, detail, null, line.ToArray());

    public static QueuedLetter ForMessage(string reason, string detail, string topic, byte[] message) =>
        new(LetterKind.Message, DateTimeOffset.UtcNow, reason, detail, topic, message);

    public static QueuedLetter ForUnspoolable(string reason, string detail, string topic, byte[] message) =>
        new(LetterKind.Unspoolable, DateTimeOffset.UtcNow, reason, detail, topic, message);

    /// <param name="json">The dead letter's JSON as it was produced to the DLQ topic.</param>
    /// <param name="why">Appended to the letter's detail.</param>
    public static QueuedLetter ForRefused(string reason, byte[] json, string why) =>
        new(LetterKind.Refused, DateTimeOffset.UtcNow, reason, why, null, json);

    public DeadLetter Build(string host) => Kind switch
    {
        LetterKind.Line => new DeadLetter(Time, Reason, Detail, host, null, Convert.ToBase64String(Bytes), Printable(Bytes), null),
        LetterKind.Message or LetterKind.Unspoolable => new DeadLetter(Time, Reason, Detail, host, Topic, null, null, Encoding.UTF8.GetString(Bytes)),
        _ => Refused(),
    };

    /// <summary>A readable copy for people grepping the file; <c>line_base64</c> is the exact one.</summary>
    private static string Printable(byte[] line) => Encoding.UTF8.GetString(line).TrimEnd('\n');

    private DeadLetter Refused()
    {
        var letter = JsonSerializer.Deserialize(Bytes, DeadLetterJson.Default.DeadLetter)!;
        return letter with { Detail = $"{letter.Detail}; {Detail}" };
    }
}
