using System.Diagnostics;
using Confluent.Kafka;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Forwarder.DeadLetters;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Receiving;
using HaproxyKafka.Forwarder.Tap;

namespace HaproxyKafka.Forwarder.Pipeline;

/// <summary>
/// One worker thread: take a run of lines, map each with its own <see cref="LineMapper"/> and <see cref="JsonBuffer"/>,
/// hand the message to Kafka or the line to the dead letters, give the run back. The mapper is asked for once per run:
/// after a SIGHUP reload the next run maps with the new parser table, while every line of a run already taken
/// finishes with the table it started with. Counters that are not part of the
/// ledger (lines by kind, unknown params, sanitized lines, lines without a fingerprint, the SLO counts) are tallied
/// here and added once per run; the timing
/// histograms are sampled on the first line of each run. Never throws on input.
/// </summary>
internal sealed class Worker
{
    private readonly LineQueue _queue;
    private readonly Func<LineMapper> _mapperForRun;
    private readonly KafkaSink _sink;
    private readonly DeadLetterSink _deadLetters;
    private readonly ForwarderMetrics _metrics;
    private readonly ProgressClock _progress;
    private readonly CancellationToken _stopping;
    private readonly JsonBuffer _json = new();
    private readonly SloTally _slo;
    private readonly TapHub? _tap;
    private readonly Thread _thread;
    private readonly long[] _kinds = new long[Enum.GetValues<LineKind>().Max(k => (int)k) + 1];
    private long _unknownParams;
    private long _sanitized;
    private long _withoutFingerprint;

    /// <summary>A worker on one fixed mapper (tests and benchmarks that drive a worker without the pipeline).</summary>
    public Worker(int number, LineQueue queue, LineMapper mapper, KafkaSink sink, DeadLetterSink deadLetters, ForwarderMetrics metrics, ProgressClock progress, CancellationToken stopping, TapHub? tap = null)
        : this(number, queue, () => mapper, sink, deadLetters, metrics, progress, stopping, tap)
    {
    }

    /// <summary>A worker of the pipeline: its mapper in the generation that is current when it takes a run.</summary>
    public Worker(int number, LineQueue queue, ActiveMapping mapping, KafkaSink sink, DeadLetterSink deadLetters, ForwarderMetrics metrics, ProgressClock progress, CancellationToken stopping, TapHub? tap = null)
        : this(number, queue, () => mapping.Current.MapperFor(number), sink, deadLetters, metrics, progress, stopping, tap)
    {
    }

    private Worker(int number, LineQueue queue, Func<LineMapper> mapperForRun, KafkaSink sink, DeadLetterSink deadLetters, ForwarderMetrics metrics, ProgressClock progress, CancellationToken stopping, TapHub? tap)
    {
        _tap = tap;
        _queue = queue;
        _mapperForRun = mapperForRun;
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

    /// <summary>
    /// One run, start to hand-off, each line reported handled to the queue as soon as it is. Internal so tests drive
    /// it without the thread; the caller gives the run back (<see cref="LineQueue.Return"/>).
    /// </summary>
    internal void Handle(LineBatch batch)
    {
        var mapper = _mapperForRun();
        var sample = true;
        long reportsReceivedAt = 0;
        Action<DeliveryReport<Null, byte[]>>? reports = null;
        try
        {
            while (batch.TryRead(out var line, out var receivedAt))
            {
                try
                {
                    if (reports is null || receivedAt != reportsReceivedAt)
                    {
                        reports = _sink.ReportsFor(receivedAt);
                        reportsReceivedAt = receivedAt;
                    }

                    HandleLine(mapper, line, reports, sample);
                    sample = false;
                }
                finally
                {
                    _queue.Handled();
                }
            }
        }
        finally
        {
            CountTallies();
        }
    }

    /// <summary>One line received just now, outside any run (benchmarks and tools).</summary>
    internal void Handle(ReadOnlySpan<byte> line)
    {
        HandleLine(_mapperForRun(), line, _sink.ReportsFor(Stopwatch.GetTimestamp()), sample: true);
        CountTallies();
    }

    private void Run()
    {
        while (_queue.TryTake() is { } batch)
        {
            try
            {
                Handle(batch);
            }
            finally
            {
                _queue.Return(batch);
            }
        }
    }

    private void HandleLine(LineMapper mapper, ReadOnlySpan<byte> line, Action<DeliveryReport<Null, byte[]>> reports, bool sample)
    {
        var started = sample ? Stopwatch.GetTimestamp() : 0;
        var result = mapper.Map(line, _json);
        if (sample)
        {
            _metrics.Parsing.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        _kinds[(int)result.Kind]++;
        _unknownParams += result.UnknownParams;
        if (result.IsMessage)
        {
            if (result.Sanitized)
            {
                _sanitized++;
            }

            if (result.WithoutFingerprint)
            {
                _withoutFingerprint++;
            }

            _slo.Count(result.Slo);
            if (_tap?.Active == true)
            {
                _tap.Offer(TapKind.Message, line, _json.Written);
            }

            _sink.Produce(_json.Written, _stopping, reports);
            if (sample)
            {
                _metrics.Processing.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }

            return;
        }

        if (result.IsNotice)
        {
            if (_tap?.Active == true)
            {
                _tap.Offer(TapKind.Notice, line, default);
            }

            _metrics.DroppedNotARequest.Add();
            _progress.Settled();
            return;
        }

        var reason = result.Rejection.Label();
        var description = Describe(mapper, result);
        if (_tap?.Active == true)
        {
            _tap.Offer(TapKind.DeadLetter, line, default, reason, description);
        }

        _deadLetters.Rejected(reason, description, line);
        _progress.Settled();
    }

    private void CountTallies()
    {
        for (var kind = 0; kind < _kinds.Length; kind++)
        {
            if (_kinds[kind] > 0)
            {
                _metrics.LinesOf((LineKind)kind).Add(_kinds[kind]);
                _kinds[kind] = 0;
            }
        }

        if (_unknownParams > 0)
        {
            _metrics.UnknownParams.Add(_unknownParams);
            _unknownParams = 0;
        }

        if (_sanitized > 0)
        {
            _metrics.Sanitized.Add(_sanitized);
            _sanitized = 0;
        }

        if (_withoutFingerprint > 0)
        {
            _metrics.WithoutFingerprint.Add(_withoutFingerprint);
            _withoutFingerprint = 0;
        }

        _slo.Flush();
    }

    private static string Describe(LineMapper mapper, MapResult result) => result.Rejection switch
    {
        Rejection.MissingRequired => $"required field '{mapper.FieldName(result.FieldIndex)}' is absent ('-' or missing)",
        Rejection.InvalidInteger => $"field '{mapper.FieldName(result.FieldIndex)}' is not an integer",
        Rejection.InvalidNumber => $"field '{mapper.FieldName(result.FieldIndex)}' is not a number",
        Rejection.InvalidTimestamp => $"field '{mapper.FieldName(result.FieldIndex)}' is not HAProxy's dd/Mon/yyyy:HH:MM:SS.mmm",
        Rejection.DuplicateParam => $"SD param '{mapper.FieldName(result.FieldIndex)}' appears twice",
        Rejection.FingerprintMissing => $"no '{mapper.Table.FingerprintParam}' param: HAProxy's log-format-sd was not generated from this schema",
        Rejection.FingerprintMismatch => $"'{mapper.Table.FingerprintParam}' is not {mapper.Table.Fingerprint}: HAProxy runs a config generated from another schema",
        Rejection.SdIdMismatch => $"no SD element '{mapper.Table.SdId}'",
        Rejection.Emptied => "SD and MSG are empty: HAProxy dropped them because the logger's len is too small",
        Rejection.Truncated => "the datagram ends inside the structured data",
        _ => "not an RFC 5424 line",
    };
}
