using System.Globalization;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// The oldest librdkafka the daemon runs on, and the start-up check against the one it loaded. Production hosts link
/// the system library (Debian's librdkafka1), so the version is the host's, not the package's. It is checked, and the
/// file named, before anything starts; an older one gets exit 78 and a sentence naming the package. Confluent.Kafka's
/// own gate says only "Invalid librdkafka version 10400ff" at the first producer call, and a function newer than that
/// gate would fail with <see cref="EntryPointNotFoundException"/> only when first called, mid-produce.
/// </summary>
internal static class LibrdkafkaVersion
{
    /// <summary>
    /// 1.5.2, as <c>rd_kafka_version()</c> encodes it (0xMMmmrrpp; pp is 0xff for a release, lower for a release
    /// candidate). Every <c>Produce</c> of Confluent.Kafka 2.16 goes through <c>rd_kafka_produceva</c>, added in
    /// librdkafka 1.5.0 and the newest native function the produce path calls (the rest: headers 0.11.4,
    /// <c>rd_kafka_error_t</c> and the <c>client.software.name</c> property Confluent sets 1.4.0,
    /// <c>rd_kafka_message_status</c> and <c>rd_kafka_purge</c> 1.0.0, polling, flushing and callbacks older).
    /// Confluent.Kafka 2.16 itself refuses anything below 1.5.2 on its first call (its <c>minVersion</c> is
    /// 0x010502ff), and there was no 1.5.1, so 1.5.2 is the floor.
    /// </summary>
    public const int Minimum = 0x010502ff;

    public static bool IsSupported(int version) => version >= Minimum;

    /// <summary>"2.0.2" from 0x020002ff; a pre-release (last byte below 0xff) gets "-pre" and its number.</summary>
    public static string Format(int version)
    {
        var release = string.Create(CultureInfo.InvariantCulture, $"{(version >> 24) & 0xff}.{(version >> 16) & 0xff}.{(version >> 8) & 0xff}");
        var pre = version & 0xff;
        return pre == 0xff ? release : string.Create(CultureInfo.InvariantCulture, $"{release}-pre{pre}");
    }

    /// <summary>Why the daemon will not start on <paramref name="loaded"/>, or null when it will.</summary>
    public static string? Refusal(LoadedLibrdkafka loaded) => IsSupported(loaded.Version)
        ? null
        : $"librdkafka {loaded.VersionString} ({loaded.Describe()}) is older than {Format(Minimum)}, the oldest Confluent.Kafka "
          + $"{ConfluentVersion()}'s producer works on; install a newer librdkafka1 (Debian 12 ships 2.0.2)";

    /// <summary>
    /// Loads the system library, prints which one it is, and says whether the daemon may start. Runs before anything
    /// else touches librdkafka, so the messages on <paramref name="err"/> are the first word about it.
    /// </summary>
    public static bool Check(TextWriter err)
    {
        if (LoadedLibrdkafka.Probe() is not { } loaded)
        {
            err.WriteLine($"haproxykafka: cannot load {KafkaNativeLibrary.SystemLibrary}; install Debian's librdkafka1 (apt-get install librdkafka1)");
            return false;
        }

        if (Refusal(loaded) is { } refusal)
        {
            err.WriteLine($"haproxykafka: not starting: {refusal}");
            return false;
        }

        err.WriteLine($"haproxykafka: librdkafka {loaded.VersionString} ({loaded.Describe()}), Confluent.Kafka {ConfluentVersion()}");
        return true;
    }

    private static string ConfluentVersion() =>
        typeof(Confluent.Kafka.Library).Assembly.GetName().Version?.ToString(3) ?? "(unknown)";
}
