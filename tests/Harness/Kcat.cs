using System.Text;
using System.Text.Json;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Harness;

/// <summary>
/// kcat, the independent reader: what it sees on the broker is what downstream would see. It is also the reader
/// that works on Debian's librdkafka 2.0.2, where Confluent.Kafka 2.x's consumer does not
/// (<c>rd_kafka_message_leader_epoch</c> is missing).
/// </summary>
public static class Kcat
{
    /// <summary>Every message of <paramref name="topic"/>, one line each in kcat's <c>-f</c> <paramref name="format"/>.</summary>
    public static async Task<IReadOnlyList<string>> ReadAllAsync(string brokers, string topic, string format = "%s\n")
    {
        var result = await RunAsync(brokers, topic, ["-f", format]);
        return result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Reads the topic from the beginning until at least <paramref name="atLeast"/> messages are there or time ran out.</summary>
    public static async Task<IReadOnlyList<ConsumedMessage>> ReadMessagesAsync(string brokers, string topic, int atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = (await RunAsync(brokers, topic, ["-J"])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length >= atLeast || DateTime.UtcNow >= deadline)
            {
                return [.. lines.Select(Parse)];
            }

            await Task.Delay(200);
        }
    }

    private static async Task<string> RunAsync(string brokers, string topic, IEnumerable<string> output)
    {
        // fetch.wait.max.ms: -e stops at the end of the partition, which the broker only reports when a fetch returns;
        // librdkafka's default (500 ms) makes every read of a topic take about a second.
        var result = await ExternalTool.RunAsync("kcat", ["-C", "-b", brokers, "-t", topic, "-o", "beginning", "-e", "-q", "-X", "fetch.wait.max.ms=10", .. output], timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat could not read '{topic}': {result}");
        }

        return result.StdOut;
    }

    private static ConsumedMessage Parse(string line)
    {
        using var envelope = JsonDocument.Parse(line);
        var root = envelope.RootElement;
        var headers = new List<KeyValuePair<string, byte[]>>();
        if (root.TryGetProperty("headers", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            // kcat writes headers as a flat [name, value, name, value, ...] array.
            for (var i = 0; i + 1 < list.GetArrayLength(); i += 2)
            {
                headers.Add(KeyValuePair.Create(list[i].GetString()!, Encoding.UTF8.GetBytes(list[i + 1].GetString() ?? string.Empty)));
            }
        }

        return new ConsumedMessage(
            root.GetProperty("partition").GetInt32(),
            root.GetProperty("offset").GetInt64(),
            Encoding.UTF8.GetBytes(root.GetProperty("payload").GetString() ?? string.Empty),
            DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("ts").GetInt64()).UtcDateTime,
            headers);
    }
}
