namespace HaproxyKafka.Schema.Diagnostics;

public enum Severity
{
    Warning,
    Error,
}
