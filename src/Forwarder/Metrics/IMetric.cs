using System.Text;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>One metric family in Prometheus text exposition format 0.0.4.</summary>
internal interface IMetric
{
    void WriteTo(StringBuilder text, string prefix);
}
