using System.Security.Cryptography;
using System.Text.Json;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.Schema.Validation;

namespace HaproxyKafka.Schema;

/// <summary>
/// Identifies the layout of the SD element HAProxy writes into every line, the only part of a line the forwarder
/// reads: the SD-ID, the SD parameters in order, and where HAProxy takes each value from. HAProxy stamps it into
/// every line and the forwarder maps only lines stamped with its parser table's, so it covers what decides which
/// value sits in which parameter and nothing else: what only the forwarder or the deployment decides (JSON names,
/// types, transforms, required/absent, lengths, the logger, topics, added fields, the stream's name) is left out,
/// so editing it needs no coordinated rollout of HAProxy and the forwarder.
/// </summary>
/// <remarks>
/// The hash is taken over a canonical JSON form built from the names as the schema spells them (<c>%ci</c>,
/// <c>request</c>), never from C# enum names, so renaming a C# member cannot change a fingerprint; comments, key
/// order and quoting in the YAML never reach the model.
/// </remarks>
public static class Fingerprint
{
    /// <summary>
    /// The generator, not the schema, decides how each value is written (<c>%{+E}o</c> escaping, every value in
    /// double quotes, <c>schema_fp</c> last). Those are layout too; bump this when the generator changes them, so
    /// lines written the old way are not read with a table for the new way.
    /// </summary>
    private const int LayoutVersion = 1;

    public static string Of(LogSchema schema)
    {
        var hash = SHA256.HashData(Canonical(schema));
        return Convert.ToHexStringLower(hash)[..LenBudget.FingerprintLength];
    }

    /// <summary>
    /// Left out on purpose: the MSG (<c>haproxy.message</c>), which follows the SD element, cannot move or change a
    /// parameter and is never read by the forwarder; the capture <c>len</c>, <c>after_rules</c>, <c>logurilen</c>
    /// and the logger <c>len</c>, which decide how much of a value, or which version of a rewritten header, HAProxy
    /// writes but not which parameter carries it; the syslog facility and level (the PRI, outside the SD element);
    /// and the schema <c>name</c>, which HAProxy never writes.
    /// </summary>
    internal static byte[] Canonical(LogSchema schema)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("layout", LayoutVersion);
            json.WriteString("sd_id", schema.SdId);
            json.WriteStartArray("params");
            foreach (var field in schema.Fields)
            {
                json.WriteStartObject();
                json.WriteString("sd", field.SdParam);
                WriteSource(json, schema.Captures, field.Source);
                json.WriteEndObject();
            }

            // The fingerprint's own parameter ends every element; naming it keeps the canonical form a full list.
            json.WriteStartObject();
            json.WriteString("sd", LogSchema.FingerprintParam);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteSource(Utf8JsonWriter json, CaptureSet captures, FieldSource source)
    {
        switch (source)
        {
            case FieldSource.LogItem item:
                // Item codes are case-sensitive in HAProxy (%Tr and %tr are different items).
                json.WriteString("item", item.Item.Code);
                break;
            case FieldSource.Capture capture:
                json.WriteString("capture", CaptureDirections.Spelling(capture.Direction));

                // The log-format-sd names the slot, the capture declaration names the header; both are needed to say
                // which header's value the parameter carries. HAProxy matches header names case-insensitively.
                var slot = captures.Find(capture.Direction, capture.Header);
                if (slot is null)
                {
                    // Only in a schema with errors (a field reading a header that is not captured).
                    json.WriteNull("slot");
                }
                else
                {
                    json.WriteNumber("slot", slot.Slot);
                }

                json.WriteString("header", capture.Header.ToLowerInvariant());
                break;
            case FieldSource.Variable variable:
                // HAProxy compares variable names byte for byte, so the name is kept as written (scope included).
                json.WriteString("var", variable.Name);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source, "unknown field source");
        }
    }
}
