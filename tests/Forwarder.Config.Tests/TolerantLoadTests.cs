using HaproxyKafka.Diagnostics;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Config.Tests;

public class TolerantLoadTests
{
    private static readonly string WithoutParserTable = ForwarderConfigLoaderTests.Production
        .Split('\n').Where(l => !l.StartsWith("parser_table:", StringComparison.Ordinal)).Aggregate((a, b) => a + "\n" + b);

    [Fact]
    public void The_daemon_still_refuses_a_config_without_parser_table_but_the_tolerant_read_keeps_the_other_keys()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.yaml"), WithoutParserTable);

        ForwarderConfigLoader.LoadFile(dir.File("config.yaml")).Config.Should().BeNull();

        var tolerant = ForwarderConfigLoader.LoadTolerant(dir.File("config.yaml"));
        tolerant.Diagnostics.Should().Contain(d => d.Severity == Severity.Error && d.Message.Contains("parser_table"));
        tolerant.Config!.SdId.Should().Be("haproxykafka@0");
        tolerant.Config.Socket.Path.Should().Be("/var/run/haproxykafka/haproxykafka.sock");
        tolerant.Usable("sdid").Should().BeTrue();
        tolerant.Usable("socket.path").Should().BeTrue();
        tolerant.Usable("parser_table").Should().BeFalse("it is missing, so the value is a default");
    }

    [Fact]
    public void A_key_with_an_error_is_not_usable()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.yaml"), ForwarderConfigLoaderTests.Production.Replace("workers: 2", "workers: 500", StringComparison.Ordinal));

        var tolerant = ForwarderConfigLoader.LoadTolerant(dir.File("config.yaml"));

        tolerant.Usable("workers").Should().BeFalse();
        tolerant.Usable("kafka.topic").Should().BeTrue();
    }

    [Fact]
    public void Unreadable_yaml_gives_no_config_and_its_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.yaml"), "sdid: [unclosed\n");

        var tolerant = ForwarderConfigLoader.LoadTolerant(dir.File("config.yaml"));

        tolerant.Config.Should().BeNull();
        tolerant.Diagnostics.Should().Contain(d => d.Severity == Severity.Error);
    }
}
