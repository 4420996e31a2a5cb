using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Validation;

/// <summary>Names that reach RFC 5424 lines, Kafka and JSON: legal there, unique, and not reserved.</summary>
internal static class NameRules
{
    public static void Check(LogSchema schema, DiagnosticBag bag)
    {
        var top = new SourceLocation(schema.File, 1, 1);
        if (schema.Name.Length == 0 || !schema.Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.'))
        {
            bag.Error(top, $"schema name '{schema.Name}' must be lower-case letters, digits, '_', '-' or '.'", "rename it, e.g. 'name: webrequest'");
        }

        CheckSdId(schema, bag, top);
        CheckSdParams(schema, bag);
        CheckJsonKeys(schema, bag);
        CheckTopics(schema, bag, top);
    }

    private static void CheckSdId(LogSchema schema, DiagnosticBag bag, SourceLocation at)
    {
        var problem = Tokens.SdNameProblem(schema.SdId);
        if (problem is not null)
        {
            bag.Error(at, $"sd_id '{Tokens.Show(schema.SdId)}' {problem}", "use a name like 'haproxykafka@0'");
            return;
        }

        // RFC 5424 section 6.3.2: an SD-ID without '@' is reserved for IANA; private ones are name@enterprise-number.
        var parts = schema.SdId.Split('@');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || !parts[1].All(char.IsAsciiDigit))
        {
            bag.Error(at, $"sd_id '{schema.SdId}' is not of the form name@number that RFC 5424 requires for private SD-IDs", "write e.g. 'sd_id: haproxykafka@0'");
        }
    }

    private static void CheckSdParams(LogSchema schema, DiagnosticBag bag)
    {
        var seen = new Dictionary<string, FieldSpec>(StringComparer.Ordinal);
        foreach (var field in schema.Fields)
        {
            var problem = Tokens.SdNameProblem(field.SdParam);
            if (problem is not null)
            {
                bag.Error(field.Location, $"SD parameter '{Tokens.Show(field.SdParam)}' {problem}", "use letters, digits and '_' only");
            }

            if (field.SdParam == LogSchema.FingerprintParam)
            {
                bag.Error(field.Location, $"SD parameter '{field.SdParam}' is reserved for the schema fingerprint", "rename the field");
            }

            if (!seen.TryAdd(field.SdParam, field))
            {
                bag.Error(field.Location, $"SD parameter '{field.SdParam}' is defined twice (first at line {seen[field.SdParam].Location.Line})", "rename or remove one of them");
            }
        }
    }

    private static void CheckJsonKeys(LogSchema schema, DiagnosticBag bag)
    {
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var keys = schema.Fields.Select(f => (f.JsonKey, f.Location)).Concat(schema.Added.Select(a => (a.JsonKey, a.Location)));
        foreach (var (key, at) in keys)
        {
            if (!Tokens.IsJsonKey(key))
            {
                bag.Error(at, $"JSON key '{Tokens.Show(key)}' must start with a letter or '_' and hold only letters, digits, '_', '.' or '-'", "rename it (set 'json:' to a plain name)");
            }

            if (!seen.TryAdd(key, at))
            {
                bag.Error(at, $"JSON key '{key}' is produced twice (first at line {seen[key].Line})", "give one of the fields a different 'json:' name");
            }
        }
    }

    private static void CheckTopics(LogSchema schema, DiagnosticBag bag, SourceLocation at)
    {
        if (schema.Kafka.Clusters.Count == 0)
        {
            bag.Error(at, "kafka.clusters is empty", "add at least one cluster, e.g. 'text: webrequest_frontend_text'");
        }

        foreach (var topic in schema.Kafka.Clusters.Values.Append(schema.Kafka.DlqTopic))
        {
            if (!Tokens.IsKafkaTopic(topic))
            {
                bag.Error(at, $"Kafka topic '{Tokens.Show(topic)}' is not a legal topic name", "use 1 to 249 of letters, digits, '.', '_' and '-'");
            }
        }

        foreach (var cluster in schema.Kafka.Clusters.Keys)
        {
            if (!Tokens.IsJsonKey(cluster))
            {
                bag.Error(at, $"cluster name '{cluster}' must be a plain word (it becomes a JSON value and a hiera key)", "rename it, e.g. 'text'");
            }
        }
    }
}
