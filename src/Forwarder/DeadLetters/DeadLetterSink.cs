using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.Metrics;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.DeadLetters;

/// <summary>
/// Where lines go that will not be delivered as messages: <c>kafka.dlq_topic</c> first (with the reason in a
/// header), the local file when Kafka fails that too or is being shut down. A dead letter counts only once it is
/// on the DLQ topic (delivery report) or in the file; a line that fits neither is counted as dropped with a reason.
/// </summary>
internal sealed partial class DeadLetterSink
{
    private readonly IProducer<Null, byte[]> _producer;
    private readonly string _dlqTopic;
    private readonly DeadLetterFile _file;
    private readonly ForwarderMetrics _metrics;
    private readonly string _host;
    private readonly ILogger _log;
    private readonly Action<DeliveryReport<Null, byte[]>> _onDelivery;
    private long _outstanding;
    private volatile bool _fileOnly;

    public DeadLetterSink(IProducer<Null, byte[]> producer, string dlqTopic, DeadLetterFile file, ForwarderMetrics metrics, string host, ILogger log)
    {
        _producer = producer;
        _dlqTopic = dlqTopic;
        _file = file;
        _metrics = metrics;
        _host = host;
        _log = log;
        _onDelivery = OnDelivery;
    }

    public long Outstanding => Interlocked.Read(ref _outstanding);

    public string FilePath => _file.Path;

    /// <summary>From now on dead letters bypass Kafka (shutdown after the flush timeout: Kafka is not taking them).</summary>
    public void UseFileOnly() => _fileOnly = true;

    public void Rejected(string reason, string detail, ReadOnlySpan<byte> line) =>
        Send(new DeadLetter(DateTimeOffset.UtcNow, reason, detail, _host, null, Convert.ToBase64String(line), Printable(line), null));

    public void Undelivered(string reason, string detail, string topic, byte[] message) =>
        Send(new DeadLetter(DateTimeOffset.UtcNow, reason, detail, _host, topic, null, null, Encoding.UTF8.GetString(message)));

    private void Send(DeadLetter letter)
    {
        if (_fileOnly || _dlqTopic.Length == 0)
        {
            ToFile(letter);
            return;
        }

        var value = JsonSerializer.SerializeToUtf8Bytes(letter, DeadLetterJson.Default.DeadLetter);
        var headers = new Headers { { "reason", Encoding.UTF8.GetBytes(letter.Reason) } };
        Interlocked.Increment(ref _outstanding);
        try
        {
            _producer.Produce(_dlqTopic, new Message<Null, byte[]> { Value = value, Headers = headers }, _onDelivery);
        }
        catch (KafkaException e)
        {
            Interlocked.Decrement(ref _outstanding);
            ToFile(letter with { Detail = $"{letter.Detail}; DLQ produce failed: {e.Error.Reason}" });
        }
    }

    private void OnDelivery(DeliveryReport<Null, byte[]> report)
    {
        try
        {
            var reason = Encoding.UTF8.GetString(report.Message.Headers.GetLastBytes("reason"));
            if (!report.Error.IsError)
            {
                _metrics.DeadLettered.For(reason).Add();
                return;
            }

            var letter = JsonSerializer.Deserialize(report.Message.Value, DeadLetterJson.Default.DeadLetter)!;
            ToFile(letter with { Detail = $"{letter.Detail}; DLQ delivery failed: {report.Error.Reason}" });
        }
        finally
        {
            Interlocked.Decrement(ref _outstanding);
        }
    }

    private void ToFile(DeadLetter letter)
    {
        var error = _file.TryAppend(letter);
        if (error is null)
        {
            _metrics.DeadLettered.For(letter.Reason).Add();
            _metrics.DeadLetterFile.Add();
            return;
        }

        _metrics.DroppedDeadLetterWriteFailed.Add();
        Log.FileWriteFailed(_log, _file.Path, error, letter.Reason);
    }

    /// <summary>A readable copy for people grepping the file; <c>line_base64</c> is the exact one.</summary>
    private static string Printable(ReadOnlySpan<byte> line) => Encoding.UTF8.GetString(line).TrimEnd('\n');

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "cannot write dead-letter file {Path}: {Error}; a line ({Reason}) is lost and counted as dropped{{reason=\"dead_letter_write_failed\"}}")]
        public static partial void FileWriteFailed(ILogger logger, string path, string error, string reason);
    }
}
