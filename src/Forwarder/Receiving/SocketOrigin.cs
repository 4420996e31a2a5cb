namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>Where the daemon's socket came from; it decides whether stopping may unlink or shut it down.</summary>
internal enum SocketOrigin
{
    /// <summary>Bound by this process: its alone until handed over.</summary>
    Bound,

    /// <summary>Passed by systemd (<c>haproxykafka.socket</c>), which keeps it open across restarts.</summary>
    Systemd,

    /// <summary>Passed by the daemon this one replaced on SIGUSR2.</summary>
    Predecessor,
}
