namespace HaproxyKafka.Contract;

/// <summary>What an optional field becomes in JSON when HAProxy wrote <c>-</c> (absent or empty).</summary>
public enum AbsentValue
{
    Null,
    Omit,
    Zero,
    Empty,
    Dash,
}
