using HaproxyKafka.Contract;
using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Schema.Model;

/// <summary>One structured-data parameter of the log line and the JSON property it becomes.</summary>
public sealed record FieldSpec(
    string SdParam,
    string JsonKey,
    FieldSource Source,
    FieldType Type,
    FieldTransform Transform,
    bool Required,
    AbsentValue Absent,
    int? MaxLength,
    SourceLocation Location);
