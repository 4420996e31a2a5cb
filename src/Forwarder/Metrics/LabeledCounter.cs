using System.Collections.Frozen;
using Prometheus;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// A counter family with one label (a <c>reason</c>, <c>kind</c> or <c>channel</c>) whose values are fixed up front:
/// every child is created here, once, so each is exported as 0 before its first event and callers hold the child
/// they count under (<see cref="For"/>) instead of looking a label up per event.
/// </summary>
internal sealed class LabeledCounter
{
    private readonly FrozenDictionary<string, EventCount> _children;

    public LabeledCounter(IMetricFactory factory, string name, string help, string label, IEnumerable<string> values)
    {
        var family = factory.CreateCounter(name, help, [label]);
        _children = values.Distinct(StringComparer.Ordinal).ToFrozenDictionary(v => v, v => new EventCount(family.WithLabels(v)), StringComparer.Ordinal);
    }

    /// <summary>The child for one declared value; an undeclared value is a programming error and throws.</summary>
    public EventCount For(string value) =>
        _children.TryGetValue(value, out var child) ? child : throw new ArgumentOutOfRangeException(nameof(value), value, "not a declared label value");

    public long this[string value] => For(value).Value;

    public long Total => _children.Values.Sum(c => c.Value);

    /// <summary>Every declared value with its count, for reports that list reasons (and for tests).</summary>
    public IEnumerable<KeyValuePair<string, long>> Snapshot() =>
        _children.Select(c => KeyValuePair.Create(c.Key, c.Value.Value));
}
