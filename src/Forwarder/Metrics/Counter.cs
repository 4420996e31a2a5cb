using System.Text;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>A monotonically increasing count; <see cref="Add"/> is one interlocked add, safe from any thread.</summary>
internal sealed class Counter(string name, string help) : IMetric
{
    private long _value;

    public string Name { get; } = name;

    public long Value => Interlocked.Read(ref _value);

    public void Add(long count = 1) => Interlocked.Add(ref _value, count);

    public void WriteTo(StringBuilder text, string prefix)
    {
        Exposition.Header(text, prefix + Name, help, "counter");
        Exposition.Sample(text, prefix + Name, null, null, Value);
    }
}
