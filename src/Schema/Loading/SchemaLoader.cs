using System.Collections.Immutable;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.Schema.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using HaproxyKafka.Contract;
using HaproxyKafka.Diagnostics.Yaml;

namespace HaproxyKafka.Schema.Loading;

/// <summary>
/// Reads <c>schema.yaml</c> into a <see cref="LogSchema"/>. Structure (keys, types, spellings) is checked here;
/// meaning (names, references, the <c>len</c> budget) by <see cref="SchemaValidator"/>. Both report everything.
/// </summary>
public static class SchemaLoader
{
    private static readonly string[] RootKeys = ["name", "sd_id", "haproxy", "captures", "kafka", "fields", "added"];
    private static readonly string[] FieldKeys = ["sd", "json", "source", "type", "transform", "required", "absent", "max_length"];

    public static SchemaLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var bag = new DiagnosticBag();
            bag.Error(new SourceLocation(path, 1, 1), $"cannot read the schema: {e.Message}", "check the path given to --schema");
            return new SchemaLoadResult(null, bag.Items);
        }

        return Load(text, path);
    }

    public static SchemaLoadResult Load(string text, string file)
    {
        var bag = new DiagnosticBag();
        var root = YamlRoot.Parse(text, file, bag, "schema", "start from the shipped schema.yaml (keys name, sd_id, haproxy, captures, kafka, fields)");
        if (root is null)
        {
            return new SchemaLoadResult(null, bag.Sorted());
        }

        var schema = Build(new YamlMapReader(root, string.Empty, file, bag, RootKeys), file, bag);
        if (schema is not null)
        {
            SchemaValidator.Validate(schema, bag);
        }

        return new SchemaLoadResult(bag.HasErrors ? null : schema, bag.Sorted());
    }

    private static LogSchema? Build(YamlMapReader root, string file, DiagnosticBag bag)
    {
        var name = root.String("name", true, "webrequest");
        var sdId = root.String("sd_id", true, "haproxykafka@0");
        var haproxy = ReadHaproxy(root);
        var captures = ReadCaptures(root, file, bag);
        var kafka = ReadKafka(root);
        var fields = root.Sequence("fields", true, "one entry per structured-data parameter")
            .Select(node => ReadField(node, root, file, bag))
            .OfType<FieldSpec>()
            .ToImmutableArray();
        var added = root.Sequence("added", false, "{ json: hostname, from: hostname }")
            .Select(node => ReadAdded(node, root, file, bag))
            .OfType<AddedField>()
            .ToImmutableArray();

        if (name is null || sdId is null || haproxy is null || kafka is null)
        {
            return null;
        }

        return new LogSchema(name, sdId, haproxy, captures, kafka, fields, added, file);
    }

    private static HaproxyLogging? ReadHaproxy(YamlMapReader root)
    {
        var haproxy = root.Map("haproxy", true, "logger", "logurilen", "message");
        if (haproxy is null)
        {
            return null;
        }

        var logger = haproxy.Map("logger", true, "socket", "len", "facility", "level");
        var logUriLen = haproxy.Int("logurilen", true, "2048");
        var message = haproxy.String("message", false, "\"%rt %ST %ts\"") ?? string.Empty;
        if (logger is null || logUriLen is null)
        {
            return null;
        }

        var socket = logger.String("socket", true, "/var/run/haproxykafka/haproxykafka.sock");
        var len = logger.Int("len", true, "8192");
        var facility = logger.String("facility", false, "local0") ?? "local0";
        var level = logger.String("level", false, "info") ?? "info";
        if (socket is null || len is null)
        {
            return null;
        }

        var locations = new[] { "socket", "len", "facility", "level" }
            .Select(k => (k, logger.Node(k) is { } n ? logger.At(n) : logger.Location))
            .Concat(new[] { "logurilen", "message" }.Select(k => (k, haproxy.Node(k) is { } n ? haproxy.At(n) : haproxy.Location)))
            .ToImmutableDictionary(p => p.k, p => p.Item2);
        return new HaproxyLogging(socket, len.Value, facility, level, logUriLen.Value, message, locations);
    }

    private static CaptureSet ReadCaptures(YamlMapReader root, string file, DiagnosticBag bag)
    {
        var captures = root.Map("captures", false, CaptureDirections.Request, CaptureDirections.Response);
        if (captures is null)
        {
            return new CaptureSet([], []);
        }

        ImmutableArray<CaptureSlot> Read(string key, CaptureDirection direction)
        {
            var slots = ImmutableArray.CreateBuilder<CaptureSlot>();
            foreach (var node in captures.Sequence(key, false, "{ header: Host, len: 255 }"))
            {
                if (node is not YamlMappingNode map)
                {
                    bag.Error(captures.At(node), $"a capture in '{captures.Qualified(key)}' must be a mapping", "write '- { header: Host, len: 255 }'");
                    continue;
                }

                var entry = new YamlMapReader(map, captures.Qualified(key), file, bag, "header", "len", "after_rules");
                var header = entry.String("header", true, "Host");
                var len = entry.Int("len", true, "255");
                var afterRules = entry.Bool("after_rules") ?? false;
                if (header is not null && len is not null)
                {
                    // The slot is the position among the captures of one direction: HAProxy numbers them the same way.
                    slots.Add(new CaptureSlot(direction, slots.Count, header, len.Value, afterRules, entry.Location));
                }
            }

            return slots.ToImmutable();
        }

        return new CaptureSet(Read(CaptureDirections.Request, CaptureDirection.Request), Read(CaptureDirections.Response, CaptureDirection.Response));
    }

    private static KafkaTopics? ReadKafka(YamlMapReader root)
    {
        var kafka = root.Map("kafka", true, "clusters", "dlq_topic");
        if (kafka is null)
        {
            return null;
        }

        var clusters = kafka.Entries("clusters")
            .Where(e => e.Value is not null)
            .ToImmutableSortedDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal);
        var dlq = kafka.String("dlq_topic", true, "webrequest_errors");
        return dlq is null ? null : new KafkaTopics(clusters, dlq);
    }

    private static FieldSpec? ReadField(YamlNode node, YamlMapReader root, string file, DiagnosticBag bag)
    {
        if (node is not YamlMappingNode map)
        {
            bag.Error(root.At(node), "a field must be a mapping", "write '- { sd: ip, source: \"%ci\", type: string }'");
            return null;
        }

        var entry = new YamlMapReader(map, "fields[]", file, bag, FieldKeys);
        var sd = entry.String("sd", true, "ip");
        var json = entry.String("json", false, "ip") ?? sd;
        var sourceText = entry.String("source", true, "\"%ci\"");
        var type = Enum(entry, "type", NamedValues.Types, FieldType.String, bag);
        var transform = Enum(entry, "transform", NamedValues.Transforms, FieldTransform.None, bag);
        var absent = Enum(entry, "absent", NamedValues.Absent, AbsentValue.Null, bag);
        var required = entry.Bool("required") ?? false;
        var maxLength = entry.Int("max_length", false, "64");
        if (sd is null || json is null || sourceText is null)
        {
            return null;
        }

        var sourceAt = entry.At(entry.Node("source")!);
        var source = FieldSourceParser.Parse(sourceText, sourceAt, bag);
        return source is null ? null : new FieldSpec(sd, json, source, type, transform, required, absent, maxLength, entry.Location);
    }

    private static AddedField? ReadAdded(YamlNode node, YamlMapReader root, string file, DiagnosticBag bag)
    {
        if (node is not YamlMappingNode map)
        {
            bag.Error(root.At(node), "an added field must be a mapping", "write '- { json: hostname, from: hostname }'");
            return null;
        }

        var entry = new YamlMapReader(map, "added[]", file, bag, "json", "from", "value");
        var json = entry.String("json", true, "hostname");
        var from = Enum(entry, "from", NamedValues.AddedSources, AddedFrom.Constant, bag);
        var value = entry.String("value", false, "text");
        return json is null ? null : new AddedField(json, from, value, entry.Location);
    }

    private static T Enum<T>(YamlMapReader entry, string key, IReadOnlyDictionary<string, T> table, T fallback, DiagnosticBag bag)
        where T : struct, Enum
    {
        var text = entry.String(key, false, table.Keys.First());
        if (text is null)
        {
            return fallback;
        }

        if (table.TryGetValue(text, out var value))
        {
            return value;
        }

        bag.Error(entry.At(entry.Node(key)!), $"'{key}' is '{text}', which is not a known {key}", Suggestion.DidYouMean(text, table.Keys));
        return fallback;
    }
}
