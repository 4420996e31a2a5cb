using System.Globalization;
using System.Text;
using System.Text.Json;
using HaproxyKafka.Forwarder.Cli;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Replay;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.DeadLetters;

/// <summary>The local dead-letter file: what the sink appends is what <c>haproxykafka replay</c> reads.</summary>
public sealed class DeadLetterFileTests : IDisposable
{
    private readonly TempDirectory _scratch = TempDirectory.InMemory();

    [Fact]
    public void Records_read_back_field_for_field_as_they_were_appended()
    {
        var letters = new[]
        {
            new DeadLetter(new DateTimeOffset(2024, 5, 23, 15, 23, 41, 859, TimeSpan.Zero).AddTicks(6570), "malformed", "not an RFC 5424 line", "cp1.test", null, Convert.ToBase64String([0x78, 0xC3, 0x28, 0xFF, 0x0A]), "x\uFFFD(\uFFFD", null),
            new DeadLetter(new DateTimeOffset(2024, 5, 23, 17, 0, 0, TimeSpan.FromHours(2)), Reasons.DeliveryFailed, "Broker: \"quoted\" \\ reason", "cp1.test", "webrequest_frontend_text", null, null, """{"user_agent":"ünï 東京 \"x\""}"""),
        };
        var path = _scratch.File("dead-letters.jsonl");
        using (var file = new DeadLetterFile(path))
        {
            foreach (var letter in letters)
            {
                file.TryAppend(letter).Should().BeNull();
            }
        }

        DeadLetterFile.Read(path).Should().Equal(letters);
        File.ReadAllLines(path).Should().HaveCount(2, "one JSON object per line");
    }

    [Fact]
    public void A_write_that_fails_reports_the_error_and_the_next_write_opens_the_file_again()
    {
        var blocker = _scratch.File("state");
        File.WriteAllText(blocker, "a file where the directory should be");
        var letter = new DeadLetter(DateTimeOffset.UnixEpoch, "malformed", "d", "h", null, "eA==", "x", null);
        using var file = new DeadLetterFile(Path.Combine(blocker, "dead-letters.jsonl"));

        file.TryAppend(letter).Should().NotBeNull();
        File.Delete(blocker);

        file.TryAppend(letter).Should().BeNull();
        DeadLetterFile.Read(file.Path).Should().Equal(letter);
    }

    [Fact]
    public async Task Replay_delivers_what_the_sink_wrote_and_keeps_what_still_fails()
    {
        using var rig = new SinkRig(dlqTopic: string.Empty);
        var request = Encoding.UTF8.GetBytes(Lines.Request(ShippedTable.Table.Fingerprint, 41));
        var refused = """{"sequence":42,"user_agent":"ünï"}"""u8.ToArray();
        var garbage = "this is not syslog"u8.ToArray();
        rig.DeadLetters.Rejected("fingerprint_mismatch", "'schema_fp' is not ...", request);
        rig.DeadLetters.Undelivered(Reasons.DeliveryFailed, "Broker: Topic authorization failed", ShippedTable.Topic, refused);
        rig.DeadLetters.Rejected("malformed", "not an RFC 5424 line", garbage);
        rig.DeadLetters.WaitUntilWritten(TimeSpan.FromSeconds(30)).Should().BeTrue("the sink's writer thread puts the letters in the file before replay reads it");
        var config = WriteConfig(rig.Kafka.Cluster.BootstrapServers);
        using var output = new StringWriter();
        using var err = new StringWriter();

        var exit = ReplayCommand.Run(config, rig.DeadLetterPath, output, err);

        exit.Should().Be(ExitCodes.Incomplete, err.ToString());
        output.ToString().Should().Contain("replayed 3 dead letters").And.Contain("2 delivered, 1 remaining");
        var onTopic = await rig.Kafka.ReadAsync(ShippedTable.Topic, 2);
        onTopic.Should().HaveCount(2);
        var mapped = JsonDocument.Parse(onTopic[0].Value).RootElement;
        mapped.GetProperty("sequence").GetInt64().Should().Be(41, "the raw line was mapped again with the current table");
        mapped.GetProperty("uri_path").GetString().Should().Be("/wiki/Line_41");
        onTopic[1].Value.Should().Equal(refused, "a refused message is re-produced byte for byte");
        var remaining = DeadLetterFile.Read(rig.DeadLetterPath + ".remaining").Should().ContainSingle().Subject;
        remaining.Reason.Should().Be("malformed");
        remaining.Detail.Should().Be("not an RFC 5424 line; replay: still not mappable");
        Convert.FromBase64String(remaining.LineBase64!).Should().Equal(garbage);
    }

    public void Dispose() => _scratch.Dispose();

    /// <summary>
    /// A config for replay on the in-process broker. socket.blocking.max.ms (deprecated, still read by librdkafka
    /// 2.0.2): the first messages for a topic otherwise wait up to a second for the broker thread to wake.
    /// </summary>
    private string WriteConfig(string bootstrap)
    {
        var path = _scratch.File("config.yaml");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            sdid: {ShippedTable.Table.SdId}
            hostname: {ShippedTable.Host}
            socket:
              path: {_scratch.File("unused.sock")}
            kafka:
              topic: {ShippedTable.Topic}
              dlq_topic: {ShippedTable.DlqTopic}
              flush_timeout: 2000
              rdkafka:
                bootstrap.servers: {bootstrap}
                socket.blocking.max.ms: 10
            parser_table: {ShippedTable.Table.File}
            """));
        return path;
    }
}
