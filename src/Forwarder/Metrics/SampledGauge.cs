using Prometheus;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// A gauge read when Prometheus scrapes (queue depth, lines in flight), so the line path does no bookkeeping for it.
/// </summary>
internal sealed class SampledGauge
{
    private readonly Gauge _gauge;
    private readonly Func<double> _read;

    public SampledGauge(IMetricFactory factory, string name, string help, Func<double> read)
    {
        _gauge = factory.CreateGauge(name, help);
        _read = read;
    }

    public double Value => _read();

    /// <summary>Copies the current value into the exported series; registered as a before-collect callback.</summary>
    public void Sample() => _gauge.Set(_read());
}
