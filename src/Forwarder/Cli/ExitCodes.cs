namespace HaproxyKafka.Forwarder.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Replay left lines behind.</summary>
    public const int Incomplete = 1;

    public const int Usage = 2;

    /// <summary>EX_UNAVAILABLE: <c>tap</c> found no daemon to connect to.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_CONFIG: the unit's <c>RestartPreventExitStatus=78</c> stops a restart loop on a bad config.</summary>
    public const int Config = 78;
}
