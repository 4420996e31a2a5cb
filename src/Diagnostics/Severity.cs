namespace HaproxyKafka.Diagnostics;

public enum Severity
{
    Warning,
    Error,
}
