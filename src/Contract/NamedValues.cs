
namespace HaproxyKafka.Contract;

/// <summary>The spelling of each enum value in schema files: one table, used to read and to write them.</summary>
public static class NamedValues
{
    public static readonly IReadOnlyDictionary<string, FieldType> Types = new Dictionary<string, FieldType>
    {
        ["string"] = FieldType.String,
        ["integer"] = FieldType.Integer,
        ["number"] = FieldType.Number,
        ["timestamp"] = FieldType.Timestamp,
    };

    public static readonly IReadOnlyDictionary<string, FieldTransform> Transforms = new Dictionary<string, FieldTransform>
    {
        ["none"] = FieldTransform.None,
        ["ms_to_seconds"] = FieldTransform.MsToSeconds,
        ["haproxy_date_to_utc"] = FieldTransform.HaproxyDateToUtc,
        ["empty_to_slash"] = FieldTransform.EmptyToSlash,
    };

    public static readonly IReadOnlyDictionary<string, AbsentValue> Absent = new Dictionary<string, AbsentValue>
    {
        ["null"] = AbsentValue.Null,
        ["omit"] = AbsentValue.Omit,
        ["zero"] = AbsentValue.Zero,
        ["empty"] = AbsentValue.Empty,
        ["dash"] = AbsentValue.Dash,
    };

    public static readonly IReadOnlyDictionary<string, AddedFrom> AddedSources = new Dictionary<string, AddedFrom>
    {
        ["hostname"] = AddedFrom.Hostname,
        ["cluster"] = AddedFrom.Cluster,
        ["constant"] = AddedFrom.Constant,
    };

    public static string Name<T>(IReadOnlyDictionary<string, T> table, T value)
        where T : struct, Enum =>
        table.First(kv => EqualityComparer<T>.Default.Equals(kv.Value, value)).Key;
}
