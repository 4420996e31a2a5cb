namespace HaproxyKafka.Conformance;

/// <summary>The checker could not do its job (missing input, HAProxy not installed...): exit 2, never "clean".</summary>
public sealed class CheckerCannotRunException(string message) : Exception(message);
