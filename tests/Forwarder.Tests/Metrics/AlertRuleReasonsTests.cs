using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Generator.Rendering;

namespace HaproxyKafka.Forwarder.Tests.Metrics;

/// <summary>
/// The generated alert rules select on the daemon's reason labels by value; the generator cannot see the daemon's
/// internal <see cref="Reasons"/>, so this pins the two spellings together.
/// </summary>
public class AlertRuleReasonsTests
{
    [Fact]
    public void The_alert_rules_spell_the_reasons_as_the_daemon_counts_them()
    {
        AlertRules.IntendedDropReason.Should().Be(Reasons.NotARequest);
        Reasons.Dropped.Should().Contain(AlertRules.IntendedDropReason);
        Reasons.DeadLettered.Should().Contain(AlertRules.FingerprintReasons);
    }

    [Fact]
    public void The_slo_recording_rules_select_a_label_and_a_bucket_the_daemon_exports()
    {
        SloMetrics.TerminationLabels[(int)TerminationClass.ProxyError].Should().Be(SloRecordingRules.ProxyErrorLabel);
        SloMetrics.FirstByteBuckets.Should().Contain(SloRecordingRules.LatencyThreshold, "the latency SLI reads the bucket at the threshold");
    }
}
