using System.Collections.Immutable;
using System.Globalization;
using HaproxyKafka.Diagnostics;
using YamlDotNet.RepresentationModel;
using HaproxyKafka.Diagnostics.Yaml;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>
/// Reads the forwarder's config. Unknown keys are errors (with "did you mean"), values are range-checked where
/// production's Puppet type checks them, and every problem names the file, line and a fix. Alias conflicts in
/// <c>kafka.rdkafka</c> are warnings: production has one, and an existing production config must still start.
/// </summary>
public static partial class ForwarderConfigLoader
{
    public const string DefaultDeadLetterPath = "/var/lib/haproxykafka/dead-letters.jsonl";

    private static readonly string[] RootKeys =
        ["workers", "message_buffer", "sdid", "hostname", "socket", "logparser", "kafka", "monitoring", "transform_rules", "parser_table", "dead_letter_path", "accepted_fingerprints", "map_lines_without_fingerprint", "spool", "dead_letter_queue", "haproxy"];

    private static readonly string[] SocketKeys = ["path", "mode", "user", "group", "batch_size", "batch_deadline", "receive_buffer_bytes", "queue_bytes", "allowed_uids"];
    private static readonly string[] BatchKeys = ["batch_size", "batch_deadline"];
    private static readonly string[] KafkaKeys = ["topic", "dlq_topic", "flush_timeout", "batch_size", "batch_deadline", "rdkafka"];

    private static readonly string[] MonitoringKeys =
        ["enable_pprof", "enable_prometheus", "server_bind", "prometheus_prefix", "prometheus_parsing_buckets", "prometheus_processing_buckets", "prometheus_delivery_buckets", "stall_timeout", "tap_socket"];

    private static readonly string[] SpoolKeys = ["path", "max_bytes", "fsync"];
    private static readonly string[] DeadLetterQueueKeys = ["max_lines", "max_bytes"];
    private static readonly string[] HaproxyKeys = ["stats_socket", "stats_interval"];

    private static readonly string[] TransformKeys = ["haproxy_format", "date_format", "date_tz"];

    private static readonly ImmutableArray<double> DefaultParsingBuckets = [5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3];
    private static readonly ImmutableArray<double> DefaultProcessingBuckets = [1e-6, 5e-6, 1e-5, 2e-5, 3e-5, 5e-5, 1e-4, 5e-4, 1e-3];
    private static readonly ImmutableArray<double> DefaultDeliveryBuckets = [1e-3, 5e-3, 1e-2, 5e-2, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <param name="warnAboutAliasConflicts">False for the conformance checker, which reports them itself as errors (the daemon only warns).</param>
    public static ForwarderConfigLoadResult LoadFile(string path, bool warnAboutAliasConflicts = true)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var bag = new DiagnosticBag();
            bag.Error(new SourceLocation(path, 1, 1), $"cannot read the config: {e.Message}", "check the path given to -c");
            return new ForwarderConfigLoadResult(null, bag.Items);
        }

        return Load(text, path, warnAboutAliasConflicts);
    }

    public static ForwarderConfigLoadResult Load(string text, string file, bool warnAboutAliasConflicts = true)
    {
        var (config, bag) = Read(text, file, warnAboutAliasConflicts);
        return new ForwarderConfigLoadResult(bag.HasErrors ? null : config, bag.Sorted());
    }

    /// <summary>Every key read, defaults where a value is missing or wrong; null only when the YAML itself is unreadable.</summary>
    private static (ForwarderConfig? Config, DiagnosticBag Bag) Read(string text, string file, bool warnAboutAliasConflicts)
    {
        var bag = new DiagnosticBag();
        var root = YamlRoot.Parse(text, file, bag, "forwarder config", "start from docs/forwarder.md's example (keys sdid, socket, kafka, parser_table)");
        return (root is null ? null : new Reading(root, file, bag, warnAboutAliasConflicts).Build(), bag);
    }

    /// <summary>One pass over one file; records where each key was written so later checks can point at it.</summary>
    private sealed class Reading(YamlMappingNode root, string file, DiagnosticBag bag, bool warnAboutAliasConflicts)
    {
        private readonly Dictionary<string, SourceLocation> _locations = new(StringComparer.Ordinal);

        public ForwarderConfig Build()
        {
            var top = new YamlMapReader(root, string.Empty, file, bag, RootKeys);
            var workers = Range(top, "workers", 1, 1, 192);
            var messageBuffer = Double(top, "message_buffer");
            var sdId = Text(top, "sdid", required: true, "haproxykafka@0") ?? string.Empty;
            var hostname = Text(top, "hostname", required: false, "cp1001.eqiad.wmnet") ?? System.Net.Dns.GetHostName();
            var socket = ReadSocket(top.Map("socket", true, SocketKeys));
            var logParser = ReadBatch(top.Map("logparser", false, BatchKeys));
            var kafka = ReadKafka(top.Map("kafka", true, KafkaKeys));
            var monitoring = ReadMonitoring(top.Map("monitoring", false, MonitoringKeys));
            var transforms = ReadTransforms(top.Map("transform_rules", false, TransformKeys));
            var parserTable = Text(top, "parser_table", required: true, "/etc/haproxykafka/parser-table.json") ?? string.Empty;
            if (parserTable.Length > 0 && !Path.IsPathRooted(parserTable))
            {
                // Relative to the config file, so a config and its table can travel together.
                parserTable = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", parserTable));
            }

            var deadLetters = Text(top, "dead_letter_path", required: false, DefaultDeadLetterPath) ?? DefaultDeadLetterPath;
            var fingerprints = top.Sequence("accepted_fingerprints", false, "fingerprints of the previous schema during a rollout")
                .OfType<YamlScalarNode>().Select(n => n.Value ?? string.Empty).ToImmutableArray();
            var withoutFingerprint = Flag(top, "map_lines_without_fingerprint", false);
            if (withoutFingerprint)
            {
                // Said at every start so the setting is not forgotten once HAProxy's config carries the fingerprint.
                bag.Warning(top.KeyLocation("map_lines_without_fingerprint"),
                    "'map_lines_without_fingerprint' is on: lines without a fingerprint param are mapped by param name, unchecked against the schema",
                    "switch it off once every HAProxy runs the generated log-format-sd (lines_without_fingerprint_total stays 0)");
            }

            return new ForwarderConfig(workers, messageBuffer, sdId, hostname, socket, logParser, kafka, monitoring, transforms,
                parserTable, deadLetters, fingerprints, file, _locations.ToImmutableDictionary())
            {
                MapLinesWithoutFingerprint = withoutFingerprint,
                Spool = ReadSpool(top.Map("spool", false, SpoolKeys)),
                DeadLetterQueue = ReadDeadLetterQueue(top.Map("dead_letter_queue", false, DeadLetterQueueKeys)),
                Haproxy = ReadHaproxy(top.Map("haproxy", false, HaproxyKeys)),
            };
        }

        private SocketSettings ReadSocket(YamlMapReader? map)
        {
            if (map is null)
            {
                return new SocketSettings(string.Empty, 0, null, null, 102400, TimeSpan.FromSeconds(1), 0);
            }

            var path = Text(map, "path", required: true, "/var/run/haproxykafka/haproxykafka.sock") ?? string.Empty;
            if (path.Length > 107)
            {
                bag.Error(map.KeyLocation("path"), $"'socket.path' is {path.Length} bytes; unix socket paths are limited to 107", "use a shorter path");
            }

            var modeText = Text(map, "mode", required: false, "'0622'") ?? "0622";
            UnixFileMode mode = 0;
            try
            {
                mode = (UnixFileMode)Convert.ToInt32(modeText, 8);
                if ((int)mode is < 0 or > 0x1FF)
                {
                    throw new FormatException();
                }
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                bag.Error(map.KeyLocation("mode"), $"'socket.mode' is '{modeText}', not an octal file mode", "write it quoted, e.g. mode: '0622' (HAProxy writes as 'other')");
            }

            var user = Text(map, "user", required: false, "haproxykafka");
            var group = Text(map, "group", required: false, "haproxykafka");
            var batch = ReadBatch(map);
            var receiveBuffer = Range(map, "receive_buffer_bytes", 4 << 20, 0, int.MaxValue);
            var queueBytes = Range(map, "queue_bytes", SocketSettings.DefaultQueueBytes, 1 << 20, 1 << 30);
            return new SocketSettings(path, mode, user, group, batch.BatchSize, batch.BatchDeadline, receiveBuffer)
            {
                QueueBytes = queueBytes,
                AllowedSenders = ReadAllowedSenders(map),
            };
        }

        private ImmutableArray<AllowedSender> ReadAllowedSenders(YamlMapReader map)
        {
            var entries = map.Sequence("allowed_uids", false, "uids or user names, e.g. '- haproxy'");
            Remember(map, "allowed_uids");
            if (map.Node("allowed_uids") is YamlSequenceNode && entries.Count == 0)
            {
                // An empty list would refuse every line; nobody means that, so it is not read as "accept all" either.
                bag.Error(map.KeyLocation("allowed_uids"), "'socket.allowed_uids' is an empty list, which would refuse every datagram",
                    "list HAProxy's user (e.g. '- haproxy'), or remove the key to accept every sender the socket's mode lets write");
            }

            var senders = ImmutableArray.CreateBuilder<AllowedSender>();
            foreach (var node in entries)
            {
                var text = (node as YamlScalarNode)?.Value;
                if (text is null || !AllowedSenderSyntax.TryRead(text, out var uid))
                {
                    bag.Error(map.At(node), $"'socket.allowed_uids' has '{text ?? node.ToString()}', neither a uid nor a user name",
                        "write a uid (e.g. '- 0', 4294967294 at most) or a user name (e.g. '- haproxy'), one per '- ' line");
                    continue;
                }

                senders.Add(new AllowedSender(text, uid, map.At(node)));
            }

            return senders.ToImmutable();
        }

        private BatchSettings ReadBatch(YamlMapReader? map)
        {
            if (map is null)
            {
                return new BatchSettings(102400, TimeSpan.FromSeconds(1));
            }

            var size = Range(map, "batch_size", 102400, 1024, 10_000_000);
            var deadline = Duration(map, "batch_deadline", TimeSpan.FromSeconds(1));
            return new BatchSettings(size, deadline);
        }

        private KafkaSettings ReadKafka(YamlMapReader? map)
        {
            if (map is null)
            {
                return new KafkaSettings(string.Empty, string.Empty, TimeSpan.FromSeconds(1), 102400, TimeSpan.FromSeconds(1), []);
            }

            var topic = Text(map, "topic", required: true, "webrequest_frontend_text") ?? string.Empty;
            var dlq = Text(map, "dlq_topic", required: false, "webrequest_errors") ?? string.Empty;
            var flush = Range(map, "flush_timeout", 1000, 100, 10000);
            var batch = ReadBatch(map);
            var rdkafka = new List<RdkafkaProperty>();
            foreach (var (name, value, at) in map.Entries("rdkafka"))
            {
                rdkafka.Add(new RdkafkaProperty(name, value ?? string.Empty, at));
                _locations[$"kafka.rdkafka.{name}"] = at;
            }

            if (map.Node("rdkafka") is null)
            {
                bag.Error(map.Location, "'kafka.rdkafka' is missing", "add 'rdkafka:' with at least 'bootstrap.servers: HOST:PORT'");
            }
            else if (!rdkafka.Any(p => RdkafkaAliases.CanonicalName(p.Name) == "bootstrap.servers"))
            {
                bag.Error(map.KeyLocation("rdkafka"), "'kafka.rdkafka' has no 'bootstrap.servers'", "add 'bootstrap.servers: HOST:PORT[,HOST:PORT]'");
            }

            if (warnAboutAliasConflicts)
            {
                RdkafkaAliases.Report(rdkafka, bag, asErrors: false);
            }

            return new KafkaSettings(topic, dlq, TimeSpan.FromMilliseconds(flush), batch.BatchSize, batch.BatchDeadline, [.. rdkafka]);
        }

        private MonitoringSettings ReadMonitoring(YamlMapReader? map)
        {
            if (map is null)
            {
                return new MonitoringSettings(false, true, ":9341", "haproxykafka_", DefaultParsingBuckets, DefaultProcessingBuckets, DefaultDeliveryBuckets, TimeSpan.FromSeconds(30));
            }

            var pprof = Flag(map, "enable_pprof", false);
            var prometheus = Flag(map, "enable_prometheus", true);
            var bind = Text(map, "server_bind", required: false, "\":9341\"") ?? ":9341";
            if (!ListenAddress.TryParse(bind, out _))
            {
                bag.Error(map.KeyLocation("server_bind"), $"'monitoring.server_bind' is '{bind}', not HOST:PORT", "write ':9341' (all addresses) or '127.0.0.1:9341'");
            }

            var prefix = Text(map, "prometheus_prefix", required: false, "haproxykafka_") ?? "haproxykafka_";
            if (!System.Text.RegularExpressions.Regex.IsMatch(prefix, "^[a-zA-Z_:][a-zA-Z0-9_:]*$"))
            {
                bag.Error(map.KeyLocation("prometheus_prefix"), $"'monitoring.prometheus_prefix' is '{prefix}', not a valid metric name prefix", "use letters, digits and '_', e.g. 'haproxykafka_'");
            }

            var tap = Text(map, "tap_socket", required: false, "/run/haproxykafka/tap.sock");
            if (tap is { Length: > 0 } && !Path.IsPathRooted(tap))
            {
                bag.Error(map.KeyLocation("tap_socket"), $"'monitoring.tap_socket' is '{tap}', not an absolute path", "write an absolute path such as '/run/haproxykafka/tap.sock', or '' to switch the tap off");
            }

            return new MonitoringSettings(
                pprof,
                prometheus,
                bind,
                prefix,
                Buckets(map, "prometheus_parsing_buckets", DefaultParsingBuckets),
                Buckets(map, "prometheus_processing_buckets", DefaultProcessingBuckets),
                Buckets(map, "prometheus_delivery_buckets", DefaultDeliveryBuckets),
                Duration(map, "stall_timeout", TimeSpan.FromSeconds(30)))
            {
                TapSocketPath = tap,
            };
        }

        private SpoolSettings ReadSpool(YamlMapReader? map)
        {
            if (map is null)
            {
                return SpoolSettings.Disabled;
            }

            var path = Text(map, "path", required: true, "/var/lib/haproxykafka/spool") ?? string.Empty;
            if (path.Length > 0 && !Path.IsPathRooted(path))
            {
                bag.Error(map.KeyLocation("path"), $"'spool.path' is '{path}', not an absolute path", "write the spool directory's absolute path, e.g. /var/lib/haproxykafka/spool");
            }

            var maxBytes = Size(map, "max_bytes", SpoolSettings.DefaultMaxBytes, min: 1L << 20);
            var fsyncText = Text(map, "fsync", required: false, "batch") ?? "batch";
            var fsync = TimeSpan.Zero;
            if (fsyncText != "batch" && (!GoDuration.TryParse(fsyncText, out fsync) || fsync <= TimeSpan.Zero || fsync > TimeSpan.FromSeconds(10)))
            {
                bag.Error(map.KeyLocation("fsync"), $"'spool.fsync' is '{fsyncText}', neither 'batch' nor a duration up to 10s", "write 'fsync: batch' (sync every batch) or e.g. 'fsync: 200ms' (sync at most that often)");
                fsync = TimeSpan.Zero;
            }

            return new SpoolSettings(path, maxBytes, fsync);
        }

        private DeadLetterQueueSettings ReadDeadLetterQueue(YamlMapReader? map)
        {
            if (map is null)
            {
                return DeadLetterQueueSettings.Default;
            }

            var lines = Range(map, "max_lines", DeadLetterQueueSettings.Default.MaxLines, 1, 10_000_000);
            var bytes = Size(map, "max_bytes", DeadLetterQueueSettings.Default.MaxBytes, min: 64L << 10);
            return new DeadLetterQueueSettings(lines, bytes);
        }

        private long Size(YamlMapReader map, string key, long fallback, long min)
        {
            var text = map.String(key, false, "512MiB");
            Remember(map, key);
            if (text is null)
            {
                return fallback;
            }

            if (!ByteSize.TryParse(text, out var bytes))
            {
                bag.Error(map.KeyLocation(key), $"'{map.Qualified(key)}' is '{text}', not a size in bytes", $"write a number of bytes or one with a unit, e.g. '{key}: 512MiB' (KiB, MiB, GiB, TiB)");
                return fallback;
            }

            if (bytes < min)
            {
                bag.Error(map.KeyLocation(key), $"'{map.Qualified(key)}' is {bytes} bytes, below the minimum of {min}", $"write at least {min} bytes");
                return fallback;
            }

            return bytes;
        }

        private HaproxySettings ReadHaproxy(YamlMapReader? map)
        {
            if (map is null)
            {
                return HaproxySettings.None;
            }

            var socket = Text(map, "stats_socket", required: false, "/run/haproxy/admin.sock");
            if (socket is { Length: > 0 } && !Path.IsPathRooted(socket))
            {
                bag.Error(map.KeyLocation("stats_socket"), $"'haproxy.stats_socket' is '{socket}', not an absolute path", "write the path of HAProxy's 'stats socket', e.g. '/run/haproxy/admin.sock'");
            }
            else if (socket is { Length: > 107 })
            {
                bag.Error(map.KeyLocation("stats_socket"), $"'haproxy.stats_socket' is {socket.Length} bytes; unix socket paths are limited to 107", "use a shorter path");
            }

            var interval = Duration(map, "stats_interval", HaproxySettings.DefaultStatsInterval);
            if (interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromHours(1))
            {
                bag.Error(map.KeyLocation("stats_interval"), $"'haproxy.stats_interval' is {interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s, outside 1s..1h", "write e.g. 'stats_interval: 15s'");
            }

            return new HaproxySettings(string.IsNullOrEmpty(socket) ? null : socket, interval);
        }

        private TransformRules ReadTransforms(YamlMapReader? map)
        {
            var rules = new TransformRules("02/Jan/2006:15:04:05.000", "2006-01-02T15:04:05Z", "UTC");
            if (map is null)
            {
                return rules;
            }

            // Go layouts in production's config. The parser table decides the transforms now; these keys are
            // accepted so an existing config starts, and only the values that mean what the table does are allowed.
            Fixed(map, "haproxy_format", rules.HaproxyFormat, "HAProxy's %tr layout");
            Fixed(map, "date_format", rules.DateFormat, "UTC seconds, as the webrequest table expects");
            Fixed(map, "date_tz", rules.DateTz, "dt is always written in UTC");
            return rules;
        }

        private void Fixed(YamlMapReader map, string key, string expected, string why)
        {
            var value = Text(map, key, required: false, expected);
            if (value is not null && value != expected)
            {
                bag.Error(map.KeyLocation(key), $"'{map.Qualified(key)}' is '{value}'; only '{expected}' is supported ({why})", $"write '{key}: \"{expected}\"' or remove the key");
            }
        }

        private string? Text(YamlMapReader map, string key, bool required, string hint)
        {
            var value = map.String(key, required, hint);
            Remember(map, key);
            if (value is not null && value.Length == 0 && required)
            {
                bag.Error(map.KeyLocation(key), $"'{map.Qualified(key)}' is empty", $"write '{key}: {hint}'");
            }

            return value;
        }

        private int Range(YamlMapReader map, string key, int fallback, int min, int max)
        {
            var value = map.Int(key, false, fallback.ToString(CultureInfo.InvariantCulture));
            Remember(map, key);
            if (value is { } v && (v < min || v > max))
            {
                bag.Error(map.KeyLocation(key), $"'{map.Qualified(key)}' is {v}, outside {min}..{max}", $"write a value between {min} and {max}");
            }

            return value ?? fallback;
        }

        private double? Double(YamlMapReader map, string key)
        {
            var text = map.String(key, false, "100.0");
            Remember(map, key);
            if (text is null)
            {
                return null;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            bag.Error(map.KeyLocation(key), $"'{map.Qualified(key)}' is '{text}', not a number", $"write e.g. '{key}: 100.0'");
            return null;
        }

        private bool Flag(YamlMapReader map, string key, bool fallback)
        {
            var value = map.Bool(key);
            Remember(map, key);
            return value ?? fallback;
        }

        private TimeSpan Duration(YamlMapReader map, string key, TimeSpan fallback)
        {
            var text = map.String(key, false, "1000ms");
            Remember(map, key);
            if (text is null)
            {
                return fallback;
            }

            if (GoDuration.TryParse(text, out var value))
            {
                return value;
            }

            bag.Error(map.KeyLocation(key), $"'{map.Qualified(key)}' is '{text}', not a duration", $"write a number with a unit, e.g. '{key}: 1000ms' or '{key}: 30s'");
            return fallback;
        }

        private ImmutableArray<double> Buckets(YamlMapReader map, string key, ImmutableArray<double> fallback)
        {
            var nodes = map.Sequence(key, false, "upper bounds in seconds, ascending");
            Remember(map, key);
            if (map.Node(key) is null)
            {
                return fallback;
            }

            var values = new List<double>();
            foreach (var node in nodes)
            {
                if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v))
                {
                    values.Add(v);
                }
                else
                {
                    bag.Error(map.At(node), $"'{map.Qualified(key)}' has '{node}', not a positive number of seconds", "write bucket upper bounds like 1e-5 or 0.001");
                    return fallback;
                }
            }

            if (values.Count == 0 || values.Zip(values.Skip(1)).Any(p => p.Second <= p.First))
            {
                bag.Error(map.KeyLocation(key), $"'{map.Qualified(key)}' must be a non-empty ascending list", "sort the bucket bounds and drop duplicates");
                return fallback;
            }

            return [.. values];
        }

        private void Remember(YamlMapReader map, string key) => _locations[map.Qualified(key)] = map.KeyLocation(key);
    }
}

public sealed record ForwarderConfigLoadResult(ForwarderConfig? Config, IReadOnlyList<Diagnostic> Diagnostics);
