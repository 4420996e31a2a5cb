namespace HaproxyKafka.Contract;

public enum AddedFrom
{
    /// <summary>The forwarder's configured host name (HAProxy logs none: RFC 5424 HOSTNAME is <c>-</c>).</summary>
    Hostname,

    /// <summary>The key of the kafka cluster whose topic the forwarder produces to (text, upload).</summary>
    Cluster,

    Constant,
}
