using System.Text;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.Cli;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Forwarder.Replay;

/// <summary>
/// <c>haproxykafka replay -c CONFIG FILE</c>: re-produce a dead-letter file once the cause is fixed (the failed-events
/// and replay practice). Undelivered messages go to the topic they were meant for; rejected raw lines are mapped
/// again with the current parser table and produced to <c>kafka.topic</c>. Whatever still fails is written to
/// <c>FILE.remaining</c>, never dropped; exit 0 only when nothing remains.
/// </summary>
internal static class ReplayCommand
{
    public static int Run(string configPath, string deadLetterPath, TextWriter output, TextWriter err)
    {
        if (StartupChecks.Load(configPath, err) is not var (config, table))
        {
            return ExitCodes.Config;
        }

        List<DeadLetter> letters;
        try
        {
            letters = [.. DeadLetterFile.Read(deadLetterPath)];
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            err.WriteLine($"haproxykafka replay: cannot read {deadLetterPath}: {e.Message}");
            return ExitCodes.Usage;
        }

        var mapper = new LineMapper(table, config.Hostname, table.ClusterOf(config.Kafka.Topic), TimeZoneInfo.Local, config.AcceptedFingerprints, config.MapLinesWithoutFingerprint);
        var json = new JsonBuffer();
        var remaining = new List<DeadLetter>();
        var delivered = 0;
        var failures = new List<DeadLetter>();
        using (var producer = new ProducerBuilder<Null, byte[]>(ProducerSettings.Build(config.Kafka)).Build())
        {
            foreach (var letter in letters)
            {
                var (topic, value) = Payload(letter, mapper, json, config.Kafka.Topic);
                if (value is null)
                {
                    remaining.Add(letter with { Detail = $"{letter.Detail}; replay: still not mappable" });
                    continue;
                }

                producer.Produce(topic, new Message<Null, byte[]> { Value = value }, report =>
                {
                    lock (failures)
                    {
                        if (report.Error.IsError)
                        {
                            failures.Add(letter with { Detail = $"{letter.Detail}; replay: {report.Error.Reason}" });
                        }
                        else
                        {
                            delivered++;
                        }
                    }
                });
            }

            var left = producer.Flush(config.Kafka.FlushTimeout + TimeSpan.FromSeconds(30));
            if (left > 0)
            {
                ProducerPurge.TryPurge(producer);
                producer.Flush(TimeSpan.FromSeconds(5));
            }
        }

        remaining.AddRange(failures);
        var remainingPath = deadLetterPath + ".remaining";
        if (remaining.Count > 0)
        {
            using var file = new DeadLetterFile(remainingPath);
            foreach (var letter in remaining)
            {
                file.TryAppend(letter);
            }
        }

        output.WriteLine($"replayed {letters.Count} dead letters from {deadLetterPath}: {delivered} delivered, {remaining.Count} remaining" +
                         (remaining.Count > 0 ? $" (written to {remainingPath})" : string.Empty));
        return remaining.Count == 0 ? ExitCodes.Ok : ExitCodes.Incomplete;
    }

    private static (string Topic, byte[]? Value) Payload(DeadLetter letter, LineMapper mapper, JsonBuffer json, string topic)
    {
        if (letter.Message is not null && letter.Topic is not null)
        {
            return (letter.Topic, Encoding.UTF8.GetBytes(letter.Message));
        }

        if (letter.LineBase64 is null)
        {
            return (topic, null);
        }

        var result = mapper.Map(Convert.FromBase64String(letter.LineBase64), json);
        return result.IsMessage ? (topic, json.Written.ToArray()) : (topic, null);
    }
}
