using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Kafka;

/// <summary>
/// The start-up check is a function of the version number (tested on numbers an older library would report) plus
/// the probe of the library really loaded, Debian's librdkafka.so.1, in this process and in the daemon's.
/// </summary>
public class LibrdkafkaVersionTests
{
    [Theory]
    [InlineData(0x000b06ff, false)] // 0.11.6, Debian 10
    [InlineData(0x010400ff, false)] // 1.4.0: no rd_kafka_produceva
    [InlineData(0x010500ff, false)] // 1.5.0: has it, but Confluent.Kafka 2.16 refuses it
    [InlineData(0x010502c9, false)] // a 1.5.2 release candidate
    [InlineData(0x010502ff, true)] // 1.5.2, the minimum
    [InlineData(0x010600ff, true)] // 1.6.0, Debian 11
    [InlineData(0x020002ff, true)] // 2.0.2, Debian 12
    [InlineData(0x021000ff, true)] // 2.16.0, the bundled build Confluent.Kafka 2.16 ships
    public void Supported_from_the_minimum_on(int version, bool supported)
    {
        LibrdkafkaVersion.IsSupported(version).Should().Be(supported);
        var loaded = new LoadedLibrdkafka(version, LibrdkafkaVersion.Format(version), "/usr/lib/x86_64-linux-gnu/librdkafka.so.1");
        (LibrdkafkaVersion.Refusal(loaded) is null).Should().Be(supported);
    }

    [Theory]
    [InlineData(0x010502ff, "1.5.2")]
    [InlineData(0x020002ff, "2.0.2")]
    [InlineData(0x020a0103, "2.10.1-pre3")]
    public void Versions_read_as_librdkafka_writes_them(int version, string text) =>
        LibrdkafkaVersion.Format(version).Should().Be(text);

    [Fact]
    public void A_refusal_names_the_library_found_the_minimum_and_the_package()
    {
        var old = new LoadedLibrdkafka(0x010400ff, "1.4.0", "/opt/old/lib/librdkafka.so.1");

        LibrdkafkaVersion.Refusal(old).Should()
            .Contain("librdkafka 1.4.0 (/opt/old/lib/librdkafka.so.1, 0x010400ff) is older than 1.5.2")
            .And.Contain("Confluent.Kafka 2.16.0")
            .And.Contain("librdkafka1");
    }

    [Fact]
    public void The_probe_finds_the_system_library_confluent_kafka_uses()
    {
        var loaded = LoadedLibrdkafka.Probe();

        loaded.Should().NotBeNull();
        loaded!.Path.Should().EndWith("/librdkafka.so.1", "the daemon links Debian's librdkafka1, not a bundled copy");
        loaded.VersionString.Should().Be(Confluent.Kafka.Library.VersionString, "Confluent.Kafka resolves the same library");
        loaded.Version.Should().Be(Confluent.Kafka.Library.Version);
        LibrdkafkaVersion.IsSupported(loaded.Version).Should().BeTrue();
    }

    [Fact]
    public void The_check_passes_on_this_machine_and_says_what_it_loaded()
    {
        var err = new StringWriter();

        LibrdkafkaVersion.Check(err).Should().BeTrue(err.ToString());
        err.ToString().Should().StartWith($"haproxykafka: librdkafka {LoadedLibrdkafka.Probe()!.VersionString} (/").And.Contain("Confluent.Kafka 2.16.0");
    }

    [Fact]
    public async Task The_daemon_logs_the_library_it_loaded_at_start_and_in_check_mode()
    {
        var expected = $"haproxykafka: librdkafka {LoadedLibrdkafka.Probe()!.VersionString} ({LoadedLibrdkafka.Probe()!.Describe()})";
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);

        run.Forwarder.Log.Should().Contain(expected);

        var check = await ExternalTool.RunAsync(ForwarderProcess.Executable, ["-c", run.ConfigPath, "--check"]);
        check.ExitCode.Should().Be(0, check.ToString());
        check.Output.Should().Contain(expected).And.Contain("configuration ok");
    }
}
