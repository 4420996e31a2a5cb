using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// <c>rd_kafka_purge</c> at shutdown: after the flush timeout it turns every message librdkafka still holds (queued
/// or in flight) into a delivery report with a purge error, so each one reaches the dead-letter file instead of
/// vanishing with the process.
/// <para>
/// Confluent.Kafka 2.16 has no supported way to do this: no purge method on <c>IProducer</c> (its only purge is
/// inside <c>AbortTransaction</c>, for transactional producers), <c>rd_kafka_purge</c> is not among its 296 native
/// imports, and the <c>rd_kafka_t</c> pointer is only reachable through the internal
/// <c>Handle.LibrdkafkaHandle</c>. That one internal getter is the whole dependency: it is bound by name with
/// <see cref="UnsafeAccessorAttribute"/> (compiled against the internal type, no reflection), the handle is kept alive
/// with <see cref="SafeHandle.DangerousAddRef"/> for the one call, and <c>ProducerPurgeTests</c> fails if a
/// Confluent.Kafka upgrade renames it.
/// </para>
/// </summary>
internal static partial class ProducerPurge
{
    private const int PurgeQueue = 0x1;
    private const int PurgeInflight = 0x2;

    /// <summary>False when there is nothing to purge through: the producer is disposed, or Confluent's internals moved.</summary>
    public static bool TryPurge(IClient client)
    {
        SafeHandle handle;
        try
        {
            handle = (SafeHandle)LibrdkafkaHandle(client.Handle);
        }
        catch (Exception e) when (e is MissingMemberException or TypeLoadException)
        {
            // A Confluent.Kafka without the internal getter or type: the caller's final flush then reports what is left.
            return false;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return rd_kafka_purge(handle.DangerousGetHandle(), PurgeQueue | PurgeInflight) == 0;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_LibrdkafkaHandle")]
    [return: UnsafeAccessorType("Confluent.Kafka.Impl.SafeKafkaHandle, Confluent.Kafka")]
    private static extern object LibrdkafkaHandle(Handle handle);

    [LibraryImport("librdkafka")]
    private static partial int rd_kafka_purge(IntPtr rk, int flags);
}
