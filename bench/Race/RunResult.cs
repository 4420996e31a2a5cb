using HaproxyKafka.Race.Measuring;

namespace HaproxyKafka.Race;

/// <summary>
/// One receiver at one offered rate. Delivered is the broker's end offset (null for the floor, which produces
/// nothing); lost inside = received - delivered - dead-lettered - dropped, where the receiver counts those.
/// CPU is the receiver's process tree from the first line sent until it was done; per 100k lines it is divided by
/// the lines the receiver took from the socket. DeliveryP99 (the daemon only) is the 99th percentile from receiving a
/// datagram to its delivery report, from the daemon's own histogram.
/// </summary>
public sealed record RunResult(
    string Receiver,
    int Qlen,
    int? Rate,
    double Seconds,
    long Offered,
    long Accepted,
    long Eagain,
    long OtherSendErrors,
    long? Received,
    long? Delivered,
    long? DeadLettered,
    long? Dropped,
    double DoneSeconds,
    double CpuSeconds,
    double PeakRssMib,
    ReadBack? ReadBack,
    LatencyQuantile? DeliveryP99 = null)
{
    public string RateLabel => Rate is { } r ? $"{r / 1000}k/s" : "max";

    public double OfferedRate => Offered / Seconds;

    public double AcceptedRate => Accepted / Seconds;

    public double EagainPercent => Offered == 0 ? 0 : 100.0 * Eagain / Offered;

    /// <summary>What reached the end of this receiver's path: the broker, or for the floor what it received.</summary>
    public long Arrived => Delivered ?? Received ?? 0;

    /// <summary>Offered lines that did not arrive, for whatever reason (socket or inside), in percent.</summary>
    public double LossPercent => Offered == 0 ? 0 : 100.0 * (Offered - Arrived) / Offered;

    public double ArrivedRate => Arrived / DoneSeconds;

    public long? LostInside => Delivered is { } d && Received is { } r ? r - d - (DeadLettered ?? 0) - (Dropped ?? 0) : null;

    public double CpuPer100k => (Received ?? Arrived) is var lines && lines > 0 ? CpuSeconds * 100_000 / lines : double.NaN;
}
