namespace HaproxyKafka.Decoder.Rfc5424;

/// <summary>Positions of the parts of one RFC 5424 datagram; see <see cref="Rfc5424Reader"/>.</summary>
public struct Rfc5424Header
{
    public int Priority;
    public Segment Timestamp;
    public Segment Hostname;
    public Segment AppName;
    public Segment ProcId;
    public Segment MsgId;

    /// <summary>All SD elements, brackets included; empty when SD is <c>-</c>.</summary>
    public Segment StructuredData;

    public Segment Message;
}
