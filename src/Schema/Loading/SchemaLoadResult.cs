using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Loading;

/// <summary>The schema when it is usable (no errors), and every finding either way.</summary>
public sealed record SchemaLoadResult(LogSchema? Schema, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => Schema is not null;
}
