using HaproxyKafka.Schema;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Generator.Rendering;

/// <summary>
/// The values templates see, computed once from the schema. Everything a template prints is derived here (slots,
/// formats, config quoting), so templates hold layout only and cannot drift from each other. Templates see the
/// members in snake_case: <c>haproxy.log_format_sd</c>, <c>captures.request[0].after_rules</c>.
/// </summary>
public sealed record ArtifactModel(
    ArtifactModel.SchemaValues Schema,
    Banner Banner,
    ArtifactModel.HaproxyValues Haproxy,
    ArtifactModel.CaptureValues Captures,
    ArtifactModel.KafkaValues Kafka,
    ArtifactModel.PrometheusValues Prometheus)
{
    public static ArtifactModel Build(LogSchema schema)
    {
        var fingerprint = Fingerprint.Of(schema);
        return new ArtifactModel(
            new SchemaValues(schema.Name, fingerprint, schema.SdId),
            Banner.For(schema.Name, fingerprint),
            new HaproxyValues(
                schema.Haproxy.Socket,
                schema.Haproxy.Len,
                schema.Haproxy.Facility,
                schema.Haproxy.Level,
                schema.Haproxy.LogUriLen,
                HaproxyFormats.QuoteForConfig(HaproxyFormats.LogFormat(schema)),
                HaproxyFormats.QuoteForConfig(HaproxyFormats.LogFormatSd(schema, fingerprint)),
                HaproxyFormats.CaptureLines(schema.Captures)),
            new CaptureValues([.. schema.Captures.Request.Select(Capture)], [.. schema.Captures.Response.Select(Capture)]),
            new KafkaValues([.. schema.Kafka.Clusters.Select(c => new ClusterTopic(c.Key, c.Value))], schema.Kafka.DlqTopic),
            new PrometheusValues(AlertRules.DefaultPrefix, AlertRules.For(AlertRules.DefaultPrefix), SloRecordingRules.For(AlertRules.DefaultPrefix)));
    }

    private static CaptureValue Capture(CaptureSlot c) => new(c.Slot, c.Header, c.Len, c.AfterRules);

    public sealed record SchemaValues(string Name, string Fingerprint, string SdId);

    /// <param name="LogFormat">Quoted for use between double quotes in haproxy.cfg, as the hiera data stores it too.</param>
    /// <param name="LogFormatSd">Quoted like <paramref name="LogFormat"/>.</param>
    /// <param name="CaptureLines">The capture declarations and rules, in slot order.</param>
    public sealed record HaproxyValues(
        string Socket,
        int Len,
        string Facility,
        string Level,
        int LogUriLen,
        string LogFormat,
        string LogFormatSd,
        IReadOnlyList<string> CaptureLines);

    /// <summary>Per direction, in slot order: the list position is the slot.</summary>
    public sealed record CaptureValues(IReadOnlyList<CaptureValue> Request, IReadOnlyList<CaptureValue> Response);

    public sealed record CaptureValue(int Slot, string Header, int Len, bool AfterRules);

    public sealed record KafkaValues(IReadOnlyList<ClusterTopic> Clusters, string DlqTopic);

    public sealed record ClusterTopic(string Name, string Topic);

    /// <param name="Prefix">The daemon's <c>monitoring.prometheus_prefix</c>, which every alert's metrics carry.</param>
    /// <param name="SloRules">Recording rules computing HAProxy's SLIs from the daemon's request counts.</param>
    public sealed record PrometheusValues(string Prefix, IReadOnlyList<AlertRule> Alerts, IReadOnlyList<RecordingRule> SloRules);
}
