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

/// <summary>A receiver's own ledger, where it keeps one: lines received, dead-lettered (or failed), dropped inside.</summary>
public sealed record ReceiverCounts(long? Received, long? DeadLettered, long? Dropped);
