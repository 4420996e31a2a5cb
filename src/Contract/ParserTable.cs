using System.Collections.Immutable;

namespace HaproxyKafka.Contract;

/// <summary>
/// The generated <c>parser-table.json</c>: everything the forwarder needs to turn one SD element into one JSON
/// message. It is derived from the schema, never written by hand, and carries the schema's fingerprint so a line
/// from a differently configured HAProxy is never mapped with it.
/// </summary>
public sealed record ParserTable(
    string Schema,
    string Fingerprint,
    string FingerprintParam,
    string SdId,
    ImmutableSortedDictionary<string, string> Clusters,
    string DlqTopic,
    ImmutableArray<ParserTableField> Fields,
    ImmutableArray<ParserTableAdded> Added,
    string File)
{
    public const string Format = "haproxykafka-parser-table/1";

    /// <summary>The cluster (text, upload) whose topic is <paramref name="topic"/>, if any.</summary>
    public string? ClusterOf(string topic) =>
        Clusters.FirstOrDefault(c => c.Value == topic).Key;
}

public sealed record ParserTableField(string Sd, string Json, FieldType Type, FieldTransform Transform, bool Required, AbsentValue Absent, string Source);

public sealed record ParserTableAdded(string Json, AddedFrom From, string? Value);
