using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Conformance;

/// <summary>A divergence between something deployed and the schema: where it is, where the schema says otherwise, the fix.</summary>
public sealed record Finding(string File, int Line, Severity Severity, string Message, string Fix, SourceLocation? SchemaLocation = null)
{
    /// <summary>A loader's diagnostic (the input itself is malformed) as a finding at the same place.</summary>
    public static Finding From(Diagnostic diagnostic) =>
        new(diagnostic.Location.File, diagnostic.Location.Line, diagnostic.Severity, diagnostic.Message, diagnostic.Fix);

    public override string ToString()
    {
        var level = Severity == Severity.Error ? "error" : "warning";
        var schema = SchemaLocation is null ? string.Empty : $" (schema: {SchemaLocation.File}:{SchemaLocation.Line})";
        return $"{File}:{Line}: {level}: {Message}{schema}; {Fix}";
    }
}
