using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Forwarder.Config.Tests;

/// <summary><c>spool:</c> and <c>dead_letter_queue:</c>, the keys added for bounded memory and the disk spool.</summary>
public class SpoolConfigTests
{
    private static readonly string Lines = ForwarderConfigLoaderTests.Production.Split('\n').Length.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Without_the_keys_there_is_no_spool_and_the_dead_letter_queue_has_its_defaults()
    {
        var config = ForwarderConfigLoader.Load(ForwarderConfigLoaderTests.Production, "config.yaml").Config!;

        config.Spool.Should().Be(SpoolSettings.Disabled);
        config.Spool.Enabled.Should().BeFalse();
        config.DeadLetterQueue.Should().Be(new DeadLetterQueueSettings(100_000, 64L << 20));
    }

    [Theory]
    [InlineData("batch", 0)]
    [InlineData("200ms", 200)]
    [InlineData("1s", 1000)]
    public void The_keys_are_read_with_units(string fsync, int intervalMs)
    {
        var config = Load($"""
            spool:
              path: /var/lib/haproxykafka/spool
              max_bytes: 2GiB
              fsync: {fsync}
            dead_letter_queue:
              max_lines: 5000
              max_bytes: 8MiB
            """).Config!;

        config.Spool.Should().Be(new SpoolSettings("/var/lib/haproxykafka/spool", 2L << 30, TimeSpan.FromMilliseconds(intervalMs)));
        config.Spool.Enabled.Should().BeTrue();
        config.DeadLetterQueue.Should().Be(new DeadLetterQueueSettings(5000, 8L << 20));
    }

    [Fact]
    public void Max_bytes_defaults_to_a_gibibyte_and_takes_plain_bytes()
    {
        Load("spool:\n  path: /s\n").Config!.Spool.MaxBytes.Should().Be(1L << 30);
        Load("spool:\n  path: /s\n  max_bytes: 1048576\n").Config!.Spool.MaxBytes.Should().Be(1 << 20);
    }

    [Theory]
    [InlineData("spool:\n  path: spool\n", "2:3: error: 'spool.path' is 'spool', not an absolute path; write the spool directory's absolute path, e.g. /var/lib/haproxykafka/spool")]
    [InlineData("spool:\n  max_bytes: 1GiB\n", "2:3: error: 'spool.path' is missing; add 'path: /var/lib/haproxykafka/spool'")]
    [InlineData("spool:\n  path: /s\n  max_bytes: lots\n", "3:3: error: 'spool.max_bytes' is 'lots', not a size in bytes; write a number of bytes or one with a unit, e.g. 'max_bytes: 512MiB' (KiB, MiB, GiB, TiB)")]
    [InlineData("spool:\n  path: /s\n  max_bytes: 64KiB\n", "3:3: error: 'spool.max_bytes' is 65536 bytes, below the minimum of 1048576; write at least 1048576 bytes")]
    [InlineData("spool:\n  path: /s\n  fsync: always\n", "3:3: error: 'spool.fsync' is 'always', neither 'batch' nor a duration up to 10s; write 'fsync: batch' (sync every batch) or e.g. 'fsync: 200ms' (sync at most that often)")]
    [InlineData("spool:\n  path: /s\n  fsynk: batch\n", "3:3: error: unknown key 'spool.fsynk'; did you mean 'fsync'?")]
    [InlineData("dead_letter_queue:\n  max_lines: 0\n", "2:3: error: 'dead_letter_queue.max_lines' is 0, outside 1..10000000; write a value between 1 and 10000000")]
    public void A_mistake_names_the_line_and_the_fix(string block, string expected)
    {
        var result = Load(block);

        result.Config.Should().BeNull();
        result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString())
            .Should().ContainSingle().Which.Should().EndWith(Shift(expected));
    }

    private static ForwarderConfigLoadResult Load(string block) =>
        ForwarderConfigLoader.Load(ForwarderConfigLoaderTests.Production + "\n" + block, "config.yaml");

    /// <summary>The block's line numbers as lines of the whole file (it follows the production config).</summary>
    private static string Shift(string expected)
    {
        var colon = expected.IndexOf(':', StringComparison.Ordinal);
        var line = int.Parse(expected[..colon], System.Globalization.CultureInfo.InvariantCulture) + int.Parse(Lines, System.Globalization.CultureInfo.InvariantCulture);
        return $"config.yaml:{line}{expected[colon..]}";
    }
}
