namespace HaproxyKafka.Diagnostics;

/// <summary>
/// One finding about an input file, rendered the way compilers do (<c>FILE:LINE:COLUMN: error: ...</c>) so
/// editors and CI annotate the right place. <see cref="Fix"/> always says what to do about it.
/// </summary>
public sealed record Diagnostic(SourceLocation Location, Severity Severity, string Message, string Fix)
{
    public override string ToString()
    {
        var level = Severity == Severity.Error ? "error" : "warning";
        return $"{Location}: {level}: {Message}; {Fix}";
    }
}
