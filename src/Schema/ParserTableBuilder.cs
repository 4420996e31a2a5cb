using HaproxyKafka.Contract;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema;

/// <summary>
/// The forwarder's contract derived from a schema: per SD parameter its JSON key, type, transform and absent
/// value, in the schema's order, plus the fingerprint lines must carry. The generator writes it; the checker
/// compares deployed tables with it.
/// </summary>
public static class ParserTableBuilder
{
    public static ParserTable Build(LogSchema schema) => new(
        schema.Name,
        Fingerprint.Of(schema),
        LogSchema.FingerprintParam,
        schema.SdId,
        schema.Kafka.Clusters,
        schema.Kafka.DlqTopic,
        [.. schema.Fields.Select(f => new ParserTableField(f.SdParam, f.JsonKey, f.Type, f.Transform, f.Required, f.Absent, schema.ValueExpression(f)))],
        [.. schema.Added.Select(a => new ParserTableAdded(a.JsonKey, a.From, a.Value))])
    {
        File = schema.File,
    };
}
