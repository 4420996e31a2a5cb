using System.Diagnostics;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Receiving;
using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Forwarder.Pipeline;

/// <summary>
/// One worker thread: take a line, map it with its own <see cref="LineMapper"/> and <see cref="JsonBuffer"/>, hand
/// the message to Kafka or the line to the dead letters, count it, give the slot back. Never throws on input.
/// </summary>
internal sealed class Worker
{
    private readonly LineQueue _queue;
    private readonly LineMapper _mapper;
    private readonly KafkaSink _sink;
    private readonly DeadLetterSink _deadLetters;
    private readonly ForwarderMetrics _metrics;
    private readonly ProgressClock _progress;
    private readonly CancellationToken _stopping;
    private readonly JsonBuffer _json = new();
    private readonly SloTally _slo;
    private readonly Thread _thread;

    public Worker(int number, LineQueue queue, LineMapper mapper, KafkaSink sink, DeadLetterSink deadLetters, ForwarderMetrics metrics, ProgressClock progress, CancellationToken stopping)
    {
        _queue = queue;
        _mapper = mapper;
        _sink = sink;
        _deadLetters = deadLetters;
        _metrics = metrics;
        _progress = progress;
        _stopping = stopping;
        _slo = metrics.Slo.NewTally();
        _thread = new Thread(Run) { Name = $"haproxykafka-worker-{number}", IsBackground = true };
    }

    public void Start() => _thread.Start();

    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    private void Run()
    {
        while (_queue.TryTake(out var slot))
        {
            try
            {
                Handle(slot.Line);
            }
            finally
            {
                _queue.Return(slot);
            }

            // Published when the queue runs dry or every 256 lines: one add per cell instead of one per line.
            if (_slo.Pending >= 256 || _queue.Depth == 0)
            {
                _slo.Flush();
            }
        }

        _slo.Flush();
    }

    /// <summary>One line, start to hand-off. Internal so tests and benchmarks drive it without a socket.</summary>
    internal void Handle(ReadOnlySpan<byte> line)
    {
        var started = Stopwatch.GetTimestamp();
        var result = _mapper.Map(line, _json);
        _metrics.Parsing.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        _metrics.LinesOf(result.Kind).Add();
        if (result.UnknownParams > 0)
        {
            _metrics.UnknownParams.Add(result.UnknownParams);
        }

        if (result.IsMessage)
        {
            if (result.Sanitized)
            {
                _metrics.Sanitized.Add();
            }

            if (result.WithoutFingerprint)
            {
                _metrics.WithoutFingerprint.Add();
            }

            _slo.Count(result.Slo);

            _sink.Produce(_json.Written, _stopping);
            _metrics.Processing.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return;
        }

        if (result.IsNotice)
        {
            _metrics.DroppedNotARequest.Add();
            _progress.Settled();
            return;
        }

        _deadLetters.Rejected(result.Rejection.Label(), Describe(result), line);
        _progress.Settled();
    }

    private string Describe(MapResult result) => result.Rejection switch
    {
        Rejection.MissingRequired => $"required field '{_mapper.FieldName(result.FieldIndex)}' is absent ('-' or missing)",
        Rejection.InvalidInteger => $"field '{_mapper.FieldName(result.FieldIndex)}' is not an integer",
        Rejection.InvalidNumber => $"field '{_mapper.FieldName(result.FieldIndex)}' is not a number",
        Rejection.InvalidTimestamp => $"field '{_mapper.FieldName(result.FieldIndex)}' is not HAProxy's dd/Mon/yyyy:HH:MM:SS.mmm",
        Rejection.DuplicateParam => $"SD param '{_mapper.FieldName(result.FieldIndex)}' appears twice",
        Rejection.FingerprintMissing => $"no '{_mapper.Table.FingerprintParam}' param: HAProxy's log-format-sd was not generated from this schema",
        Rejection.FingerprintMismatch => $"'{_mapper.Table.FingerprintParam}' is not {_mapper.Table.Fingerprint}: HAProxy runs a config generated from another schema",
        Rejection.SdIdMismatch => $"no SD element '{_mapper.Table.SdId}'",
        Rejection.Emptied => "SD and MSG are empty: HAProxy dropped them because the logger's len is too small",
        Rejection.Truncated => "the datagram ends inside the structured data",
        _ => "not an RFC 5424 line",
    };
}
