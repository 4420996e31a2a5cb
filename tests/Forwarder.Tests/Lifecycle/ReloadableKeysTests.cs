using System.Reflection;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Lifecycle;

namespace HaproxyKafka.Forwarder.Tests.Lifecycle;

/// <summary>Which keys a SIGHUP reload applies in place, which it names as needing a restart, and that none is forgotten.</summary>
public class ReloadableKeysTests
{
    private const string Base = """
        sdid: haproxykafka@0
        hostname: cp9999.test.wmnet
        socket:
          path: /run/haproxykafka/haproxykafka.sock
        kafka:
          topic: webrequest_text
          dlq_topic: webrequest_dlq
          rdkafka:
            bootstrap.servers: 127.0.0.1:9092
            acks: all
        parser_table: /etc/haproxykafka/parser-table.json
        """;

    [Fact]
    public void Every_config_property_is_either_applied_in_place_or_named_as_needing_a_restart()
    {
        var classified = ReloadableKeys.InPlace.Concat(ReloadableKeys.RestartOnly).Select(k => k.Property).ToList();
        classified.Should().OnlyHaveUniqueItems();
        var topLevel = classified.Select(p => p.Split('.')[0]).Concat(ReloadableKeys.Bookkeeping).ToHashSet();
        PropertiesOf(typeof(ForwarderConfig)).Should().BeSubsetOf(topLevel, "a key added to the config must be sorted into ReloadableKeys, or a reload would ignore it silently");

        // Sections compared key by key: each of their properties has its own entry.
        foreach (var section in new[] { nameof(ForwarderConfig.Socket), nameof(ForwarderConfig.Kafka), nameof(ForwarderConfig.Monitoring) })
        {
            var type = typeof(ForwarderConfig).GetProperty(section)!.PropertyType;
            PropertiesOf(type).Select(p => $"{section}.{p}").Should().BeSubsetOf(classified, $"every key of '{section}' is compared on reload");
        }
    }

    [Fact]
    public void Only_changed_restart_keys_are_named_and_moving_a_key_to_another_line_is_no_change()
    {
        var running = Load(Base);
        ReloadableKeys.NeedingRestart(running, Load("# a comment moves every line\n" + Base)).Should().BeEmpty();
        ReloadableKeys.NeedingRestart(running, Load(Base + "\naccepted_fingerprints: ['0123456789abcdef']\nmap_lines_without_fingerprint: true\n"))
            .Should().BeEmpty("those keys are applied in place");

        var changed = Load(Base
            .Replace("acks: all", "acks: 1", StringComparison.Ordinal)
            .Replace("haproxykafka.sock", "other.sock", StringComparison.Ordinal)
            .Replace("webrequest_text", "webrequest_upload", StringComparison.Ordinal) + "\nworkers: 4\n");
        ReloadableKeys.NeedingRestart(running, changed).Should().BeEquivalentTo("workers", "socket.path", "kafka.topic", "kafka.rdkafka");
    }

    [Fact]
    public void The_applied_config_takes_the_in_place_keys_and_keeps_the_running_values_of_the_others()
    {
        var running = Load(Base);
        var next = Load(Base.Replace("haproxykafka.sock", "other.sock", StringComparison.Ordinal)
            .Replace("parser-table.json", "parser-table-v2.json", StringComparison.Ordinal) + "\naccepted_fingerprints: ['0123456789abcdef']\nworkers: 4\n");

        var applied = ReloadableKeys.Apply(running, next);

        applied.ParserTable.Should().Be("/etc/haproxykafka/parser-table-v2.json");
        applied.AcceptedFingerprints.Should().Equal("0123456789abcdef");
        applied.Socket.Path.Should().Be("/run/haproxykafka/haproxykafka.sock");
        applied.Workers.Should().Be(1);
        ReloadableKeys.NeedingRestart(running, applied).Should().BeEmpty("what runs differs from what ran only in place");
    }

    private static ForwarderConfig Load(string text)
    {
        var loaded = ForwarderConfigLoader.Load(text, "/etc/haproxykafka/config.yaml");
        return loaded.Config ?? throw new InvalidOperationException(string.Join('\n', loaded.Diagnostics));
    }

    private static IEnumerable<string> PropertiesOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").Select(p => p.Name);
}
