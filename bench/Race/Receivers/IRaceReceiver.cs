namespace HaproxyKafka.Race.Receivers;

/// <summary>One contestant: a process that owns the unix datagram socket and (except the floor) produces to Kafka.</summary>
public interface IRaceReceiver : IAsyncDisposable
{
    /// <summary>The process whose tree is measured.</summary>
    int Pid { get; }

    /// <summary>Returns once the receiver has handled what the kernel accepted, or the timeout passed.</summary>
    Task WaitUntilDoneAsync(long accepted, TimeSpan timeout);

    /// <summary>Stops the process and says what it counted itself.</summary>
    Task<ReceiverCounts> StopAsync();
}

/// <summary>
/// A receiver's own ledger, where it keeps one: lines received, dead-lettered (or failed), dropped inside; and, for
/// the daemon, the 99th percentile of its <c>delivery_latency_seconds</c> (receipt of the datagram to delivery report).
/// </summary>
public sealed record ReceiverCounts(long? Received, long? DeadLettered, long? Dropped, Measuring.LatencyQuantile? DeliveryP99 = null);
