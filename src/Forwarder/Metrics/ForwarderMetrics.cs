using System.Text;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// Everything the forwarder counts. The ledger every line ends in exactly one column of:
/// <c>received = delivered + dead_lettered + dropped + in_flight</c>. The production names Wikimedia's alerts use
/// (<c>valid_messages_total</c>, <c>socket_dropped_messages_total</c>, <c>saturation_errors</c>) are kept.
/// </summary>
internal sealed class ForwarderMetrics
{
    private readonly List<IMetric> _all = [];
    private readonly string _prefix;

    public ForwarderMetrics(MonitoringSettings settings, Func<double> inFlight)
    {
        _prefix = settings.PrometheusPrefix;
        Received = Add(new Counter("received_lines_total", "Datagrams read from the socket."));
        Valid = Add(new Counter("valid_messages_total", "Lines mapped to a JSON message and handed to Kafka (production name)."));
        Delivered = Add(new Counter("delivered_messages_total", "Messages Kafka acknowledged in a delivery report."));
        DeadLettered = Add(new LabeledCounter("dead_lettered_lines_total", "Lines written to the DLQ topic or the local dead-letter file, by reason.", "reason", Reasons.DeadLettered));
        Dropped = Add(new LabeledCounter("dropped_lines_total", "Lines neither delivered nor dead-lettered, by reason.", "reason", Reasons.Dropped));
        SocketDropped = Add(new Counter("socket_dropped_messages_total", "Datagrams dropped at the socket because the internal queue was full (production name)."));
        Lines = Add(new LabeledCounter("lines_total", "Received lines by kind.", "kind", Reasons.Kinds));
        Saturation = Add(new LabeledCounter("saturation_errors_total", "Saturation events by channel: socket (internal queue full), kafka-queue (librdkafka queue full), kafka-msg (delivery failed).", "channel", Reasons.Channels));
        SaturationLegacy = Add(new LabeledCounter("saturation_errors", "Same as saturation_errors_total, under the name production alerts use.", "channel", Reasons.Channels, "untyped"));
        UnknownParams = Add(new Counter("unknown_sd_params_total", "SD params in request lines that the parser table does not know (ignored)."));
        Sanitized = Add(new Counter("sanitized_lines_total", "Lines whose values had invalid UTF-8 replaced by U+FFFD."));
        DeadLetterFile = Add(new Counter("dead_letter_file_lines_total", "Dead letters written to the local file because Kafka could not take them."));
        InFlight = Add(new Gauge("in_flight_lines", "Lines received and not yet delivered, dead-lettered or dropped (internal queue, workers, librdkafka).", inFlight));
        Parsing = Add(new Histogram("parse_duration_seconds", "Time to decode and map one line.", settings.ParsingBuckets));
        Processing = Add(new Histogram("processing_duration_seconds", "Time from dequeue to handing the message to librdkafka.", settings.ProcessingBuckets));
        DeliveryLatency = Add(new Histogram("delivery_latency_seconds", "Time from produce to the delivery report.", settings.DeliveryBuckets));
    }

    public Counter Received { get; }

    public Counter Valid { get; }

    public Counter Delivered { get; }

    public LabeledCounter DeadLettered { get; }

    public LabeledCounter Dropped { get; }

    public Counter SocketDropped { get; }

    public LabeledCounter Lines { get; }

    public LabeledCounter Saturation { get; }

    public LabeledCounter SaturationLegacy { get; }

    public Counter UnknownParams { get; }

    public Counter Sanitized { get; }

    public Counter DeadLetterFile { get; }

    public Gauge InFlight { get; }

    public Histogram Parsing { get; }

    public Histogram Processing { get; }

    public Histogram DeliveryLatency { get; }

    public void Saturated(string channel)
    {
        Saturation.Add(channel);
        SaturationLegacy.Add(channel);
    }

    public void AddGauge(string name, string help, Func<double> read) => _all.Add(new Gauge(name, help, read));

    public void AddProcessMetrics() => _all.Add(new ProcessMetrics());

    public string Render()
    {
        var text = new StringBuilder(16 * 1024);
        foreach (var metric in _all)
        {
            metric.WriteTo(text, metric is ProcessMetrics ? string.Empty : _prefix);
        }

        return text.ToString();
    }

    private T Add<T>(T metric)
        where T : IMetric
    {
        _all.Add(metric);
        return metric;
    }
}
