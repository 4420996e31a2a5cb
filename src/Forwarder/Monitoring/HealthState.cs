namespace HaproxyKafka.Forwarder;

/// <summary>Progress-based health: alive means lines move, or there are none to move, and the receive thread turns.</summary>
internal readonly record struct HealthState(bool Healthy, string Reason)
{
    public static HealthState Evaluate(long inFlight, TimeSpan sinceProgress, TimeSpan sinceReceiverHeartbeat, TimeSpan stallTimeout)
    {
        if (sinceReceiverHeartbeat > TimeSpan.FromSeconds(Math.Max(5, stallTimeout.TotalSeconds / 2)))
        {
            return new HealthState(false, $"the receive thread has not come round for {sinceReceiverHeartbeat.TotalSeconds:F0}s");
        }

        if (inFlight > 0 && sinceProgress > stallTimeout)
        {
            return new HealthState(false, $"{inFlight} lines pending and none delivered or dead-lettered for {sinceProgress.TotalSeconds:F0}s (stall_timeout {stallTimeout.TotalSeconds:F0}s)");
        }

        return new HealthState(true, inFlight > 0 ? $"{inFlight} lines in flight, progressing" : "idle, nothing pending");
    }
}
