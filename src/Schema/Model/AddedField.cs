using HaproxyKafka.Contract;
using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Schema.Model;

/// <summary>A JSON property the forwarder adds from its own configuration.</summary>
public sealed record AddedField(string JsonKey, AddedFrom From, string? Value, SourceLocation Location);
