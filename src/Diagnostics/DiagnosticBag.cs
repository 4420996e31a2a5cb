namespace HaproxyKafka.Diagnostics;

/// <summary>Collects every finding instead of stopping at the first, so one run shows the user all of them.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == Severity.Error);

    public void Error(SourceLocation at, string message, string fix) =>
        _items.Add(new Diagnostic(at, Severity.Error, message, fix));

    public void Warning(SourceLocation at, string message, string fix) =>
        _items.Add(new Diagnostic(at, Severity.Warning, message, fix));

    /// <summary>In file order, errors before warnings at the same place, so output is stable.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _items.OrderBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ThenByDescending(d => d.Severity)];
}
