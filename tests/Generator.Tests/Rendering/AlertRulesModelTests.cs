using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Generator.Rendering;

namespace HaproxyKafka.Generator.Tests.Rendering;

public class AlertRulesModelTests
{
    [Fact]
    public void Fingerprint_reasons_are_the_decoders_rejection_labels()
    {
        AlertRules.FingerprintReasons.Should().Equal(Rejection.FingerprintMissing.Label(), Rejection.FingerprintMismatch.Label());
    }

    [Fact]
    public void A_different_prefix_is_one_change()
    {
        var rules = AlertRules.For("hk_");

        rules.Should().NotContain(r => r.Expr.Contains("haproxykafka_", StringComparison.Ordinal));
        rules.Where(r => r.Expr.Contains("hk_", StringComparison.Ordinal)).Should().HaveCount(AlertRules.For(AlertRules.DefaultPrefix).Count(r => r.Expr.Contains("haproxykafka_", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_alert_has_a_severity_and_a_stable_runbook_anchor()
    {
        foreach (var rule in AlertRules.For(AlertRules.DefaultPrefix))
        {
            rule.Severity.Should().BeOneOf("warning", "critical");
            rule.Runbook.Should().Be("docs/operations.md#" + rule.Alert.ToLowerInvariant());
            rule.Summary.Should().NotBeEmpty();
            rule.Description.Should().NotBeEmpty();
        }
    }
}
