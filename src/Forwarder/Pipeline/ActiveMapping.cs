using HaproxyKafka.Contract;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Lifecycle;

namespace HaproxyKafka.Forwarder.Pipeline;

/// <summary>
/// The generation of config and parser table the workers map with, and the outcome of the last attempt to replace it.
/// A worker reads <see cref="Current"/> once per run of lines it takes, so a line is always mapped start to finish by
/// the generation its run started with; a reload publishes the next generation with one volatile write and never
/// waits for a worker (nor does a worker ever wait for a reload).
/// </summary>
internal sealed class ActiveMapping
{
    private readonly int _workers;
    private readonly TimeZoneInfo _zone;
    private MappingGeneration _current;
    private ReloadOutcome? _lastReload;

    public ActiveMapping(ForwarderConfig config, ParserTable table, int workers, TimeZoneInfo zone)
    {
        _workers = workers;
        _zone = zone;
        _current = Build(config, table);
    }

    public MappingGeneration Current => Volatile.Read(ref _current);

    /// <summary>The last SIGHUP reload's outcome; null until the first.</summary>
    public ReloadOutcome? LastReload => Volatile.Read(ref _lastReload);

    /// <summary>Builds a generation off the line path; nothing is published until <see cref="Publish"/>.</summary>
    public MappingGeneration Build(ForwarderConfig config, ParserTable table)
    {
        var cluster = table.ClusterOf(config.Kafka.Topic);
        var mappers = new LineMapper[_workers];
        for (var i = 0; i < mappers.Length; i++)
        {
            mappers[i] = new LineMapper(table, config.Hostname, cluster, _zone, config.AcceptedFingerprints, config.MapLinesWithoutFingerprint);
        }

        return new MappingGeneration(config, table, mappers);
    }

    /// <summary>Makes <paramref name="next"/> the generation every run taken from now on maps with.</summary>
    public void Publish(MappingGeneration next) => Volatile.Write(ref _current, next);

    public void Record(ReloadOutcome outcome) => Volatile.Write(ref _lastReload, outcome);
}
