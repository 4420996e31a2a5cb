using System.Text;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>Fixed-bucket histogram in seconds; observing is a bucket search and two interlocked operations.</summary>
internal sealed class Histogram : IMetric
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _sumBits;

    public Histogram(string name, string help, IReadOnlyList<double> bounds)
    {
        Name = name;
        Help = help;
        _bounds = [.. bounds];
        _counts = new long[_bounds.Length + 1];
    }

    public string Name { get; }

    public string Help { get; }

    public long Count => _counts.Sum(c => Interlocked.Read(ref c));

    public void Observe(double seconds)
    {
        var index = Array.BinarySearch(_bounds, seconds);
        Interlocked.Increment(ref _counts[index < 0 ? ~index : index]);
        long seen;
        long updated;
        do
        {
            seen = Interlocked.Read(ref _sumBits);
            updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + seconds);
        }
        while (Interlocked.CompareExchange(ref _sumBits, updated, seen) != seen);
    }

    public void WriteTo(StringBuilder text, string prefix)
    {
        var name = prefix + Name;
        Exposition.Header(text, name, Help, "histogram");
        long cumulative = 0;
        for (var i = 0; i < _bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            Exposition.Sample(text, name + "_bucket", "le", Exposition.Format(_bounds[i]), cumulative);
        }

        cumulative += Interlocked.Read(ref _counts[^1]);
        Exposition.Sample(text, name + "_bucket", "le", "+Inf", cumulative);
        Exposition.Sample(text, name + "_sum", null, null, BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits)));
        Exposition.Sample(text, name + "_count", null, null, cumulative);
    }
}
