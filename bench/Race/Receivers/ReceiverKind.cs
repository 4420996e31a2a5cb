namespace HaproxyKafka.Race.Receivers;

public enum ReceiverKind
{
    /// <summary>The floor: a process that only recv()s and counts.</summary>
    Raw,

    /// <summary>rsyslog with imuxsock, mmpstrucdata and omkafka (bench/peers/rsyslog-omkafka.conf).</summary>
    Rsyslog,

    /// <summary>haproxykafka, Release build, bench/peers/haproxykafka.yaml.</summary>
    Daemon,
}
