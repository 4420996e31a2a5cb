namespace HaproxyKafka.Decoder.Mapping;

/// <summary>The outcome of mapping one line. A value type so the hot path allocates nothing to report it.</summary>
public readonly record struct MapResult(LineKind Kind, Rejection Rejection, int FieldIndex, int UnknownParams, bool Sanitized)
{
    public bool IsMessage => Kind == LineKind.Request && Rejection == Rejection.None;

    /// <summary>A notice is not a request and not an error: it is counted and not sent.</summary>
    public bool IsNotice => Kind == LineKind.Notice;

    /// <summary>A message mapped although the line carried no fingerprint (the drop-in setting allowed it).</summary>
    public bool WithoutFingerprint { get; init; }

    /// <summary>For a message: what it says about HAProxy's SLO (termination, status class, time to first byte).</summary>
    public SloFacts Slo { get; init; }
}
