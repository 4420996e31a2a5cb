using System.Security.Cryptography;
using System.Text.Json;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.Schema.Validation;

namespace HaproxyKafka.Schema;

/// <summary>
/// A stable hash of what the schema means, not how the file is written: it is computed over a canonical JSON
/// form of the loaded model (defaults filled in), so comments, ordering of keys, quoting and spelled-out defaults
/// do not change it, while any change to a name, source, order, length or type does.
/// </summary>
public static class Fingerprint
{
    public static string Of(LogSchema schema)
    {
        var hash = SHA256.HashData(Canonical(schema));
        return Convert.ToHexStringLower(hash)[..LenBudget.FingerprintLength];
    }

    internal static byte[] Canonical(LogSchema schema)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", schema.Name);
            json.WriteString("sd_id", schema.SdId);
            json.WriteString("socket", schema.Haproxy.Socket);
            json.WriteNumber("len", schema.Haproxy.Len);
            json.WriteString("facility", schema.Haproxy.Facility);
            json.WriteString("level", schema.Haproxy.Level);
            json.WriteNumber("logurilen", schema.Haproxy.LogUriLen);
            json.WriteString("message", MessageTemplate.Render(schema.Haproxy.Message, schema.Captures));
            json.WriteStartArray("captures");
            foreach (var capture in schema.Captures.All)
            {
                json.WriteStringValue($"{capture.FetchExpression} {capture.Header.ToLowerInvariant()} {capture.Len} {capture.AfterRules}");
            }

            json.WriteEndArray();
            json.WriteStartObject("clusters");
            foreach (var (cluster, topic) in schema.Kafka.Clusters)
            {
                json.WriteString(cluster, topic);
            }

            json.WriteEndObject();
            json.WriteString("dlq_topic", schema.Kafka.DlqTopic);
            json.WriteStartArray("fields");
            foreach (var f in schema.Fields)
            {
                var source = f.Source is FieldSource.Capture c ? schema.Captures.Find(c.Direction, c.Header)?.FetchExpression ?? "?" : FieldSourceParser.Format(f.Source);
                json.WriteStringValue(string.Join('|', f.SdParam, f.JsonKey, source, f.Type, f.Transform, f.Required, f.Absent, f.MaxLength));
            }

            json.WriteEndArray();
            json.WriteStartArray("added");
            foreach (var a in schema.Added)
            {
                json.WriteStringValue(string.Join('|', a.JsonKey, a.From, a.Value));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
