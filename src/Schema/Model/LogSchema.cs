using System.Collections.Immutable;
using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Schema.Model;

/// <summary>
/// A loaded schema: the one description from which HAProxy's captures and log formats, the Puppet data and the
/// forwarder's parser table are derived. Immutable so that every artifact is rendered from the same snapshot.
/// </summary>
public sealed record LogSchema(
    string Name,
    string SdId,
    HaproxyLogging Haproxy,
    CaptureSet Captures,
    KafkaTopics Kafka,
    ImmutableArray<FieldSpec> Fields,
    ImmutableArray<AddedField> Added,
    string File)
{
    /// <summary>The SD parameter that carries the fingerprint in every line; reserved, never a field name.</summary>
    public const string FingerprintParam = "schema_fp";
}

public sealed record HaproxyLogging(
    string Socket,
    int Len,
    string Facility,
    string Level,
    int LogUriLen,
    string Message,
    ImmutableDictionary<string, SourceLocation> Locations)
{
    /// <summary>Where a key (socket, len, facility, level, logurilen, message) was written, for diagnostics.</summary>
    public SourceLocation At(string key) => Locations[key];

    public SourceLocation LenLocation => At("len");
}

public sealed record KafkaTopics(ImmutableSortedDictionary<string, string> Clusters, string DlqTopic);
