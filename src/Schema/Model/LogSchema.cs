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

    /// <summary>
    /// The HAProxy log-format expression that writes <paramref name="field"/>'s value: the item itself, the capture
    /// at its current slot, or the variable. Both the log-format-sd line and the parser table's <c>source</c> use it.
    /// </summary>
    public string ValueExpression(FieldSpec field) => field.Source switch
    {
        FieldSource.LogItem item => item.Item.Code,
        FieldSource.Capture capture => $"%[{Captures.Find(capture.Direction, capture.Header)!.FetchExpression}]",
        FieldSource.Variable variable => $"%[var({variable.Name})]",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
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
