namespace HaproxyKafka.SchemaTool.Cli;

/// <summary>The contract CI relies on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Findings = 1;
    public const int Usage = 2;
}
