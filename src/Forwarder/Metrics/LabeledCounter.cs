using System.Collections.Concurrent;
using System.Text;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// One counter per label value (a <c>reason</c>, <c>kind</c> or <c>channel</c>). Known values are registered up
/// front so they are exported as 0 before the first event; counting an existing value allocates nothing.
/// </summary>
internal sealed class LabeledCounter(string name, string help, string label, IEnumerable<string> knownValues, string type = "counter") : IMetric
{
    private readonly ConcurrentDictionary<string, StrongBox> _values =
        new(knownValues.Select(v => KeyValuePair.Create(v, new StrongBox())), StringComparer.Ordinal);

    public string Name { get; } = name;

    public void Add(string value, long count = 1) =>
        Interlocked.Add(ref _values.GetOrAdd(value, static _ => new StrongBox()).Value, count);

    public long this[string value] => _values.TryGetValue(value, out var box) ? Interlocked.Read(ref box.Value) : 0;

    public long Total => _values.Values.Sum(b => Interlocked.Read(ref b.Value));

    public IReadOnlyDictionary<string, long> Snapshot() =>
        _values.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => Interlocked.Read(ref kv.Value.Value), StringComparer.Ordinal);

    public void WriteTo(StringBuilder text, string prefix)
    {
        Exposition.Header(text, prefix + Name, help, type);
        foreach (var (value, count) in Snapshot())
        {
            Exposition.Sample(text, prefix + Name, label, value, count);
        }
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
