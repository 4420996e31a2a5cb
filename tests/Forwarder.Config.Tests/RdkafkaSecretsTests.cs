using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Config.Tests;

/// <summary>A secret set twice is reported like any alias conflict, but its values are not spelled out.</summary>
public class RdkafkaSecretsTests
{
    [Fact]
    public void An_alias_conflict_on_a_secret_names_the_lines_not_the_values()
    {
        var config = ForwarderConfigLoaderTests.Production.Replace(
            "    acks: all\n", "    acks: all\n    sasl.password: first-s3cret\n    topic.sasl.password: second-s3cret\n", StringComparison.Ordinal);

        var result = ForwarderConfigLoader.Load(config, "config.yaml");

        var all = string.Join('\n', result.Diagnostics);
        all.Should().Contain("config.yaml:30:5: warning: kafka.rdkafka sets 'sasl.password' 2 times: 'sasl.password: <redacted>' (line 29), 'topic.sasl.password: <redacted>' (line 30); librdkafka applies them in order, so the effective value is '<redacted>'");
        all.Should().NotContain("s3cret");
    }

    [Theory]
    [InlineData("sasl.password", true)]
    [InlineData("sasl.oauthbearer.config", true)]
    [InlineData("sasl.jaas.config", true)]
    [InlineData("ssl.key.password", true)]
    [InlineData("ssl.keystore.password", true)]
    [InlineData("ssl.key.pem", true)]
    [InlineData("ssl.key.location", false)]
    [InlineData("bootstrap.servers", false)]
    [InlineData("acks", false)]
    public void Secret_names(string name, bool secret) => RdkafkaSecrets.IsSecret(name).Should().Be(secret);
}
