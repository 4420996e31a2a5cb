using System.Runtime.CompilerServices;
using HaproxyKafka.Forwarder.Kafka;

namespace HaproxyKafka.Demo.Harness;

internal static class KafkaClientSetup
{
    /// <summary>The demo's own consumers use Debian's librdkafka the same way the daemon does.</summary>
    [ModuleInitializer]
    internal static void Install() => KafkaNativeLibrary.EnsureInstalled();
}
