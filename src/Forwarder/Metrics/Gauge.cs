using System.Text;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>A value read when scraped (queue depth, in-flight count), so the hot path does no bookkeeping for it.</summary>
internal sealed class Gauge(string name, string help, Func<double> read) : IMetric
{
    public string Name { get; } = name;

    public double Value => read();

    public void WriteTo(StringBuilder text, string prefix)
    {
        Exposition.Header(text, prefix + Name, help, "gauge");
        Exposition.Sample(text, prefix + Name, null, null, read());
    }
}
