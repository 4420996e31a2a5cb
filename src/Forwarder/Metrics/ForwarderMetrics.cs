using System.Reflection;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Forwarder.Config;
using Prometheus;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// Everything the forwarder counts, in a prometheus-net registry of its own (not the static default, so every daemon
/// and every test owns an independent set). The ledger every line ends in exactly one column of:
/// <c>received = delivered + dead_lettered + dropped + spooled + in_flight</c>, where spooled is what this process put
/// into the disk spool less what it took back out to replay (negative when it replays what a previous process spooled). The production names Wikimedia's alerts use
/// (<c>valid_messages_total</c>, <c>socket_dropped_messages_total</c>, <c>saturation_errors</c>) are kept.
/// Label children are resolved here, once; the line path only calls <see cref="EventCount.Add"/> on a field.
/// </summary>
internal sealed class ForwarderMetrics
{
    private readonly IMetricFactory _factory;
    private readonly string _prefix;
    private readonly EventCount[] _lineKinds;
    private Gauge? _buildInfo;
    private string[] _buildLabels = [];

    public ForwarderMetrics(MonitoringSettings settings, Func<double> inFlight)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        _factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        // Exemplars exist only in OpenMetrics, which /metrics does not serve; without this every Inc would ask for one.
        _factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        _prefix = settings.PrometheusPrefix;

        Received = Count("received_lines_total", "Datagrams read from the socket.");
        Valid = Count("valid_messages_total", "Lines mapped to a JSON message and handed to Kafka (production name).");
        Delivered = Count("delivered_messages_total", "Messages Kafka acknowledged in a delivery report.");
        DeadLettered = Labeled("dead_lettered_lines_total", "Lines written to the DLQ topic or the local dead-letter file, by reason.", "reason", Reasons.DeadLettered);
        Dropped = Labeled("dropped_lines_total", "Lines neither delivered nor dead-lettered, by reason.", "reason", Reasons.Dropped);
        SocketDropped = Count("socket_dropped_messages_total", "Datagrams dropped at the socket because the internal queue was full (production name).");
        Lines = Labeled("lines_total", "Received lines by kind.", "kind", Reasons.Kinds);
        Saturation = Labeled("saturation_errors_total", "Saturation events by channel: socket (internal queue full), kafka-queue (librdkafka queue full), kafka-msg (delivery failed).", "channel", Reasons.Channels);

        // Production's alerts read saturation_errors{channel}. Its Go daemon wrote it as a counter without _total,
        // which promtool rejects and prometheus-net cannot write untyped; a gauge with the same value (it only ever
        // goes up, and resets with the process like a counter) keeps promtool clean, and rate()/increase() over it
        // give what they gave before.
        var legacy = _factory.CreateGauge(_prefix + "saturation_errors", "Same value as saturation_errors_total, under the name production alerts use (a gauge: promtool requires _total on counters).", ["channel"]);
        SocketSaturation = new SaturationChannel(Saturation.For(Reasons.SocketChannel), legacy.WithLabels(Reasons.SocketChannel));
        KafkaQueueSaturation = new SaturationChannel(Saturation.For(Reasons.KafkaQueueChannel), legacy.WithLabels(Reasons.KafkaQueueChannel));
        KafkaMessageSaturation = new SaturationChannel(Saturation.For(Reasons.KafkaMessageChannel), legacy.WithLabels(Reasons.KafkaMessageChannel));

        UnknownParams = Count("unknown_sd_params_total", "SD params in request lines that the parser table does not know (ignored).");
        Sanitized = Count("sanitized_lines_total", "Lines whose values had invalid UTF-8 replaced by U+FFFD.");
        WithoutFingerprint = Count("lines_without_fingerprint_total", "Lines mapped without a fingerprint param (map_lines_without_fingerprint: the drop-in migration).");
        Slo = new SloMetrics(_factory, _prefix);
        DeadLetterFile = Count("dead_letter_file_lines_total", "Dead letters written to the local file because Kafka could not take them.");
        InFlight = AddGauge("in_flight_lines", "Lines received and not yet delivered, dead-lettered or dropped (internal queue, workers, librdkafka).", inFlight);
        Parsing = Timing("parse_duration_seconds", "Time to decode and map one line (sampled: the first line of each run a worker takes).", settings.ParsingBuckets);
        Processing = Timing("processing_duration_seconds", "Time from taking a line to handing its message to librdkafka (sampled like parse_duration_seconds).", settings.ProcessingBuckets);
        DeliveryLatency = Timing("delivery_latency_seconds", "Time from receiving the datagram to the message's successful delivery report.", settings.DeliveryBuckets);

        SpoolAppended = Labeled("spool_appended_total", "Messages written to the disk spool (spool.path), by why: delivery_failed (a transient delivery failure), over_budget (the in-flight budget stayed full), shutdown (undelivered at stop).", "reason", Reasons.Spooled);
        DroppedSpoolFull = Dropped.For(Reasons.SpoolFull);

        DroppedQueueFull = Dropped.For(Reasons.QueueFull);
        DroppedNotARequest = Dropped.For(Reasons.NotARequest);
        DroppedDeadLetterWriteFailed = Dropped.For(Reasons.DeadLetterWriteFailed);
        var kinds = Enum.GetValues<LineKind>();
        _lineKinds = new EventCount[kinds.Max(k => (int)k) + 1];
        foreach (var kind in kinds)
        {
            _lineKinds[(int)kind] = Lines.For(Reasons.KindLabel(kind));
        }
    }

    /// <summary>What <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    public EventCount Received { get; }

    public EventCount Valid { get; }

    public EventCount Delivered { get; }

    public LabeledCounter DeadLettered { get; }

    public LabeledCounter Dropped { get; }

    public EventCount DroppedQueueFull { get; }

    public EventCount DroppedNotARequest { get; }

    public EventCount DroppedDeadLetterWriteFailed { get; }

    public EventCount SocketDropped { get; }

    /// <summary>Messages written to the disk spool, by why.</summary>
    public LabeledCounter SpoolAppended { get; }

    public EventCount DroppedSpoolFull { get; }

    public LabeledCounter Lines { get; }

    public LabeledCounter Saturation { get; }

    public SaturationChannel SocketSaturation { get; }

    public SaturationChannel KafkaQueueSaturation { get; }

    public SaturationChannel KafkaMessageSaturation { get; }

    public EventCount UnknownParams { get; }

    public EventCount Sanitized { get; }

    public EventCount WithoutFingerprint { get; }

    /// <summary>HAProxy's SLO counted from the forwarded requests.</summary>
    public SloMetrics Slo { get; }

    public EventCount DeadLetterFile { get; }

    public SampledGauge InFlight { get; }

    public Histogram Parsing { get; }

    public Histogram Processing { get; }

    public Histogram DeliveryLatency { get; }

    /// <summary>This assembly's informational version (with the source revision when the build knew it).</summary>
    public static string Version =>
        typeof(ForwarderMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The <c>lines_total</c> child of a kind: an array index, so counting a line looks nothing up.</summary>
    public EventCount LinesOf(LineKind kind) => _lineKinds[(int)kind];

    /// <summary>
    /// Counts a saturation event by channel name, for callers that pass <see cref="Reasons"/>' channel constants;
    /// a switch over the three names picks a child resolved at start-up. Callers on a hot path hold the
    /// <see cref="SaturationChannel"/> instead.
    /// </summary>
    public void Saturated(string channel) => (channel switch
    {
        Reasons.SocketChannel => SocketSaturation,
        Reasons.KafkaQueueChannel => KafkaQueueSaturation,
        Reasons.KafkaMessageChannel => KafkaMessageSaturation,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not a saturation channel"),
    }).Add();

    /// <summary>A gauge read on each scrape (prefixed).</summary>
    public SampledGauge AddGauge(string name, string help, Func<double> read)
    {
        var gauge = new SampledGauge(_factory, _prefix + name, help, read);
        Registry.AddBeforeCollectCallback(gauge.Sample);
        return gauge;
    }

    /// <summary>
    /// A counter (prefixed) whose value a component keeps itself (the spool's replayed and corrupt-skipped counts),
    /// copied into the exported series on each scrape; the value only ever grows.
    /// </summary>
    public void AddSampledCounter(string name, string help, Func<double> read)
    {
        var counter = _factory.CreateCounter(_prefix + name, help);
        Registry.AddBeforeCollectCallback(() => counter.IncTo(read()));
    }

    /// <summary>A counter with one label whose values are all exported at 0 from the start (prefixed).</summary>
    public LabeledCounter AddLabeledCounter(string name, string help, string label, IEnumerable<string> values) =>
        Labeled(name, help, label, values);

    /// <summary>A counter (prefixed) for a part of the daemon outside the line path, which increments it itself.</summary>
    public Counter AddCounter(string name, string help, params string[] labelNames) =>
        _factory.CreateCounter(_prefix + name, help, labelNames);

    /// <summary><c>process_*</c> and <c>dotnet_gc_*</c>, unprefixed (see <see cref="ProcessMetrics"/>).</summary>
    public void AddProcessMetrics()
    {
        var process = new ProcessMetrics(_factory);
        Registry.AddBeforeCollectCallback(process.Sample);
    }

    /// <summary><c>build_info{version, librdkafka, schema_fingerprint} 1</c>: which daemon, client library and parser table run.</summary>
    public void AddBuildInfo(string version, string librdkafka, string schemaFingerprint)
    {
        _buildInfo = _factory.CreateGauge(_prefix + "build_info", "Always 1; the labels say which daemon version, librdkafka and parser table (schema fingerprint) run.", ["version", "librdkafka", "schema_fingerprint"]);
        _buildLabels = [version, librdkafka, schemaFingerprint];
        _buildInfo.WithLabels(_buildLabels).Set(1);
    }

    /// <summary>
    /// A SIGHUP reload put another parser table in place: <c>build_info</c> names the new fingerprint, and the old
    /// series goes away rather than staying at 1 beside it (one series, the table that runs).
    /// </summary>
    public void ParserTableReplaced(string schemaFingerprint)
    {
        if (_buildInfo is null || _buildLabels[2] == schemaFingerprint)
        {
            return;
        }

        _buildInfo.RemoveLabelled(_buildLabels);
        _buildLabels = [_buildLabels[0], _buildLabels[1], schemaFingerprint];
        _buildInfo.WithLabels(_buildLabels).Set(1);
    }

    private EventCount Count(string name, string help) => new(_factory.CreateCounter(_prefix + name, help));

    private LabeledCounter Labeled(string name, string help, string label, IEnumerable<string> values) =>
        new(_factory, _prefix + name, help, label, values);

    private Histogram Timing(string name, string help, IEnumerable<double> buckets) =>
        _factory.CreateHistogram(_prefix + name, help, new HistogramConfiguration { Buckets = [.. buckets] });
}
