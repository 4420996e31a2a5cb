namespace HaproxyKafka.Race.Sending;

/// <summary>What the sender did: lines offered, taken by the kernel, refused with EAGAIN (HAProxy's DroppedLogs) or another error.</summary>
public sealed record SendResult(long Offered, long Accepted, long Eagain, long OtherErrors, int LastErrno, TimeSpan Elapsed)
{
    public double OfferedRate => Offered / Elapsed.TotalSeconds;

    public double AcceptedRate => Accepted / Elapsed.TotalSeconds;
}
