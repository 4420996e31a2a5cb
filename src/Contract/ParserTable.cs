using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace HaproxyKafka.Contract;

/// <summary>
/// The generated <c>parser-table.json</c>: everything the forwarder needs to turn one SD element into one JSON
/// message. It is derived from the schema, never written by hand, and carries the schema's fingerprint so a line
/// from a differently configured HAProxy is never mapped with it. This record is the file: the generator
/// serializes it and the forwarder and checker deserialize it (<see cref="ParserTableWriter"/>, <see cref="ParserTableLoader"/>), so the two sides
/// cannot disagree on a key.
/// </summary>
public sealed record ParserTable(
    string Schema,
    string Fingerprint,
    string FingerprintParam,
    string SdId,
    ImmutableSortedDictionary<string, string> Clusters,
    string DlqTopic,
    ImmutableArray<ParserTableField> Fields,
    ImmutableArray<ParserTableAdded> Added)
{
    public const string Format = "haproxykafka-parser-table/1";

    /// <summary>The provenance note (schema, fingerprint, how to regenerate); JSON has no comments, so it is a key.</summary>
    [JsonPropertyName("_generated")]
    [JsonPropertyOrder(-2)]
    public string Generated { get; init; } = string.Empty;

    /// <summary>The format the file declares; reading fails on anything but <see cref="Format"/>.</summary>
    [JsonPropertyName("format")]
    [JsonPropertyOrder(-1)]
    [JsonRequired]
    [JsonConverter(typeof(ParserTableFormatConverter))]
    public string DeclaredFormat { get; init; } = Format;

    /// <summary>Where the table was read from (built from a schema: that schema file), for messages; not part of the file.</summary>
    [JsonIgnore]
    public string File { get; init; } = string.Empty;

    /// <summary>The cluster (text, upload) whose topic is <paramref name="topic"/>, if any.</summary>
    public string? ClusterOf(string topic) =>
        Clusters.FirstOrDefault(c => c.Value == topic).Key;
}

public sealed record ParserTableField(string Sd, string Json, FieldType Type, FieldTransform Transform, bool Required, AbsentValue Absent, string Source);

/// <param name="Value">Only for <see cref="AddedFrom.Constant"/>; left out of the file when there is none.</param>
public sealed record ParserTableAdded(
    string Json,
    AddedFrom From,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Value = null);
