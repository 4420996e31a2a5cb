using HaproxyKafka.Contract;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Pipeline;

/// <summary>
/// One config and parser table as the workers apply them: a <see cref="LineMapper"/> per worker (a mapper keeps
/// per-line scratch state, so workers never share one), all built before the generation is published. Immutable once
/// published; a reload builds the next one beside it.
/// </summary>
internal sealed class MappingGeneration(ForwarderConfig config, ParserTable table, LineMapper[] mappers)
{
    /// <summary>The config as applied: keys that need a restart keep their running values (see <c>ReloadableKeys</c>).</summary>
    public ForwarderConfig Config { get; } = config;

    public ParserTable Table { get; } = table;

    /// <summary>The mapper of worker <paramref name="slot"/>.</summary>
    public LineMapper MapperFor(int slot) => mappers[slot];
}
