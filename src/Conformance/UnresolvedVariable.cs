namespace HaproxyKafka.Conformance;

/// <summary>An unset environment variable a haproxy.cfg line uses; HAProxy would read it as empty.</summary>
public sealed record UnresolvedVariable(string Name, string File, int Line);
