namespace HaproxyKafka.Decoder.Mapping;

/// <summary>
/// What one mapped request says about HAProxy's SLO (seed 002): who ended the session, the status class and the
/// time to first byte. Read from the fields whose HAProxy items are <c>%ts</c>, <c>%ST</c> and <c>%Tr</c>, so the
/// daemon can count the SLIs without a second log pipeline.
/// </summary>
public readonly record struct SloFacts(TerminationClass Termination, StatusClass Status, int TimeToFirstByteMs)
{
    /// <summary><c>%Tr</c> is -1 when no full response came back, or the schema does not log it.</summary>
    public const int NoTimeToFirstByte = -1;

    public static SloFacts None => new(TerminationClass.Unknown, StatusClass.Other, NoTimeToFirstByte);

    /// <summary>The first character of HAProxy's two-character termination state (<c>%ts</c>).</summary>
    public static TerminationClass Classify(ReadOnlySpan<byte> terminationState) =>
        terminationState.IsEmpty ? TerminationClass.Unknown : terminationState[0] switch
        {
            (byte)'-' => TerminationClass.Normal,
            (byte)'C' or (byte)'c' => TerminationClass.Client,
            (byte)'S' or (byte)'s' => TerminationClass.Server,
            (byte)'I' or (byte)'R' or (byte)'D' or (byte)'U' or (byte)'K' or (byte)'L' => TerminationClass.ProxyError,
            (byte)'P' => TerminationClass.ProxyDeny,
            _ => TerminationClass.Unknown,
        };

    public static StatusClass ClassifyStatus(ReadOnlySpan<byte> status) =>
        status.Length == 3 && (uint)(status[1] - '0') <= 9 && (uint)(status[2] - '0') <= 9 && status[0] is >= (byte)'1' and <= (byte)'5'
            ? (StatusClass)(status[0] - '1')
            : StatusClass.Other;

    /// <summary>Whole milliseconds as HAProxy writes <c>%Tr</c>; anything else (-1, '-', absent) is no value.</summary>
    public static int ParseMilliseconds(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text.Length > 9)
        {
            return NoTimeToFirstByte;
        }

        var value = 0;
        foreach (var b in text)
        {
            if ((uint)(b - '0') > 9)
            {
                return NoTimeToFirstByte;
            }

            value = (value * 10) + (b - '0');
        }

        return value;
    }
}

/// <summary>
/// Who ended the session, from the first character of <c>%ts</c>. <see cref="ProxyError"/> is the SLO's "error
/// originating at the proxy" (<c>I R D U K L</c>); a deny (<c>P</c>) is the proxy doing its job.
/// </summary>
public enum TerminationClass : byte
{
    Normal,
    Client,
    Server,
    ProxyError,
    ProxyDeny,
    Unknown,
}

/// <summary>The HTTP status class; <see cref="Other"/> for anything that is not a 1xx–5xx code (e.g. <c>-1</c>).</summary>
public enum StatusClass : byte
{
    Informational,
    Success,
    Redirection,
    ClientError,
    ServerError,
    Other,
}
