using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// <c>rd_kafka_purge</c>, which Confluent.Kafka 1.9.3 does not expose. At shutdown, after the flush timeout, it
/// turns every message librdkafka still holds into a delivery report with a purge error, so each one reaches the
/// dead-letter file instead of vanishing with the process.
/// </summary>
internal static partial class ProducerPurge
{
    private const int PurgeQueue = 0x1;
    private const int PurgeInflight = 0x2;

    public static bool TryPurge(IClient client)
    {
        // Handle.LibrdkafkaHandle is internal; reading it by reflection happens once, at shutdown.
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic);
        if (property?.GetValue(client.Handle) is not SafeHandle handle || handle.IsInvalid)
        {
            return false;
        }

        return rd_kafka_purge(handle.DangerousGetHandle(), PurgeQueue | PurgeInflight) == 0;
    }

    [LibraryImport("librdkafka")]
    private static partial int rd_kafka_purge(IntPtr rk, int flags);
}
