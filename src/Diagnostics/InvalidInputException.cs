namespace HaproxyKafka.Diagnostics;

/// <summary>Input that cannot be used at all (a config or table the process cannot start with), carrying its diagnostics.</summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(Diagnostic diagnostic)
        : this([diagnostic])
    {
    }

    public InvalidInputException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
