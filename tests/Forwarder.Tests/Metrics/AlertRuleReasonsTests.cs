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
}
