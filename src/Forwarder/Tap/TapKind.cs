namespace HaproxyKafka.Forwarder.Tap;

/// <summary>What the pipeline did with a tapped line.</summary>
internal enum TapKind
{
    /// <summary>Mapped and handed to Kafka.</summary>
    Message,

    /// <summary>Refused by the mapper and dead-lettered, with a reason.</summary>
    DeadLetter,

    /// <summary>A HAProxy notice (no SD): counted and not sent.</summary>
    Notice,
}
