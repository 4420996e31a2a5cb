using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Config.Tests;

/// <summary>The optional <c>haproxy:</c> section: HAProxy's stats socket and how often it is read.</summary>
public class HaproxySettingsTests
{
    private static string With(string section) => ForwarderConfigLoaderTests.Production + "\n" + section;

    [Fact]
    public void Without_the_section_no_stats_socket_is_read()
    {
        var config = ForwarderConfigLoader.Load(ForwarderConfigLoaderTests.Production, "config.yaml").Config!;

        config.Haproxy.StatsSocket.Should().BeNull();
        config.Haproxy.StatsInterval.Should().Be(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void Socket_and_interval_are_read()
    {
        var result = ForwarderConfigLoader.Load(With("haproxy:\n  stats_socket: /run/haproxy/admin.sock\n  stats_interval: 5s\n"), "config.yaml");

        result.Config.Should().NotBeNull(string.Join('\n', result.Diagnostics));
        result.Config!.Haproxy.Should().Be(new HaproxySettings("/run/haproxy/admin.sock", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void The_interval_defaults_to_15_seconds()
    {
        var config = ForwarderConfigLoader.Load(With("haproxy:\n  stats_socket: /run/haproxy/admin.sock\n"), "config.yaml").Config!;

        config.Haproxy.StatsInterval.Should().Be(TimeSpan.FromSeconds(15));
    }

    [Theory]
    [InlineData("haproxy:\n  stats_socket: run/admin.sock\n", "config.yaml:48:3: error: 'haproxy.stats_socket' is 'run/admin.sock', not an absolute path; write the path of HAProxy's 'stats socket', e.g. '/run/haproxy/admin.sock'")]
    [InlineData("haproxy:\n  stats_socket: /run/haproxy/admin.sock\n  stats_interval: 100ms\n", "config.yaml:49:3: error: 'haproxy.stats_interval' is 0.1s, outside 1s..1h; write e.g. 'stats_interval: 15s'")]
    [InlineData("haproxy:\n  stats_socket: /run/haproxy/admin.sock\n  stats_interval: often\n", "config.yaml:49:3: error: 'haproxy.stats_interval' is 'often', not a duration; write a number with a unit, e.g. 'stats_interval: 1000ms' or 'stats_interval: 30s'")]
    [InlineData("haproxy:\n  stats_sock: /run/haproxy/admin.sock\n", "config.yaml:48:3: error: unknown key 'haproxy.stats_sock'; did you mean 'stats_socket'?")]
    public void A_mistake_names_the_file_line_and_fix(string section, string expected)
    {
        var result = ForwarderConfigLoader.Load(With(section), "config.yaml");

        result.Config.Should().BeNull();
        result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).Should().Contain(expected);
    }
}
