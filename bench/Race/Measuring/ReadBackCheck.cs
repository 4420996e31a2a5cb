using System.Globalization;
using System.Text.Json;
using HaproxyKafka.Contract;
using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Race.Measuring;

/// <summary>
/// Compares messages read back from the broker with what the corpus line they came from must become: the daemon's own
/// mapping code run on the datagram (the golden tests pin that mapping). A message finds its line by
/// <c>sequence</c> (HAProxy's request counter, unique within the corpus).
/// </summary>
public sealed partial class ReadBackCheck
{
    private readonly Dictionary<long, byte[]> _expected = [];
    private readonly HashSet<long> _invalidUtf8 = [];

    public ReadBackCheck(IReadOnlyList<byte[]> corpus, ParserTable table, string hostname)
    {
        var mapper = new LineMapper(table, hostname, "text", TimeZoneInfo.Utc);
        var json = new JsonBuffer();
        foreach (var datagram in corpus)
        {
            if (mapper.Map(datagram, json).IsMessage)
            {
                var message = json.Written.ToArray();
                using var parsed = JsonDocument.Parse(message);
                var sequence = parsed.RootElement.GetProperty("sequence").GetInt64();
                _expected[sequence] = message;
                if (!System.Text.Unicode.Utf8.IsValid(datagram))
                {
                    _invalidUtf8.Add(sequence);
                }
            }
        }
    }

    /// <summary>How many corpus lines the mapping turns into a message (the rest would be dead-lettered).</summary>
    public int Mappable => _expected.Count;

    public ReadBack Check(IReadOnlyList<byte[]> messages)
    {
        int exact = 0, sameValues = 0, invalidJson = 0, invalidFromInvalidUtf8 = 0, unmatched = 0, otherFields = 0;
        var mismatches = new Dictionary<string, int>();
        foreach (var message in messages)
        {
            JsonDocument? actual = null;
            try
            {
                // The parser checks UTF-8 only when a string is read; a message with invalid UTF-8 is not JSON.
                actual = System.Text.Unicode.Utf8.IsValid(message) ? JsonDocument.Parse(message) : null;
            }
            catch (JsonException)
            {
            }

            if (actual is null)
            {
                invalidJson++;
                if (SequenceIn(message) is { } sequence && _invalidUtf8.Contains(sequence))
                {
                    invalidFromInvalidUtf8++;
                }

                continue;
            }

            using (actual)
            {
                if (!actual.RootElement.TryGetProperty("sequence", out var sequence) || sequence.ValueKind != JsonValueKind.Number ||
                    !_expected.TryGetValue(sequence.GetInt64(), out var expected))
                {
                    unmatched++;
                    continue;
                }

                if (message.AsSpan().SequenceEqual(expected))
                {
                    exact++;
                    sameValues++;
                    continue;
                }

                using var wanted = JsonDocument.Parse(expected);
                var names = wanted.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
                if (!actual.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet().SetEquals(names))
                {
                    otherFields++;
                }

                var differing = names.Where(n => !actual.RootElement.TryGetProperty(n, out var got) || !SameValue(got, wanted.RootElement.GetProperty(n))).ToList();
                foreach (var name in differing)
                {
                    mismatches[name] = mismatches.GetValueOrDefault(name) + 1;
                }

                if (differing.Count == 0)
                {
                    sameValues++;
                }
            }
        }

        return new ReadBack(messages.Count, exact, sameValues, invalidJson, invalidFromInvalidUtf8, unmatched, otherFields, mismatches);
    }

    /// <summary>The <c>sequence</c> of a message that is not valid JSON, found in its bytes.</summary>
    private static long? SequenceIn(byte[] message)
    {
        var match = SequenceProperty().Match(System.Text.Encoding.Latin1.GetString(message));
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"sequence\": ?(\\d+)")]
    private static partial System.Text.RegularExpressions.Regex SequenceProperty();

    /// <summary>Equal as JSON values: numbers by value (<c>0.050</c> equals <c>0.05</c>), strings by their decoded text.</summary>
    private static bool SameValue(JsonElement a, JsonElement b) =>
        a.ValueKind == b.ValueKind && a.ValueKind switch
        {
            JsonValueKind.Number => decimal.Parse(a.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture) == decimal.Parse(b.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.String => a.GetString() == b.GetString(),
            _ => a.GetRawText() == b.GetRawText(),
        };
}

/// <summary>
/// The read-back of a sample: byte-for-byte equal to the daemon's mapping, equal in every value, not JSON (or not
/// UTF-8) and of those how many came from a line with invalid UTF-8, not traceable to a corpus line, with another set
/// of properties, and per property how many differed.
/// </summary>
public sealed record ReadBack(int Sampled, int Exact, int SameValues, int InvalidJson, int InvalidJsonFromInvalidUtf8, int Unmatched, int OtherFieldSet, IReadOnlyDictionary<string, int> Mismatches);
