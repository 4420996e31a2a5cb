using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// One worker's SLO counts since its last <see cref="Flush"/>: plain arrays, no interlocked operation per line.
/// A flush adds each non-zero cell to its counter and observes each bucket once with the mean of its values and their
/// count, which keeps both the bucket counts and the histogram's sum exact. Not thread-safe: one per worker.
/// </summary>
internal sealed class SloTally(SloMetrics metrics)
{
    private readonly long[] _cells = new long[SloMetrics.Cells];
    private readonly long[] _bucketCounts = new long[SloMetrics.FirstByteBuckets.Length + 1];
    private readonly double[] _bucketSums = new double[SloMetrics.FirstByteBuckets.Length + 1];

    /// <summary>Lines counted and not yet published.</summary>
    public int Pending { get; private set; }

    public void Count(in SloFacts facts)
    {
        _cells[SloMetrics.Index(facts.Termination, facts.Status)]++;
        if (facts.TimeToFirstByteMs != SloFacts.NoTimeToFirstByte)
        {
            var seconds = facts.TimeToFirstByteMs / 1000.0;
            var bucket = Array.BinarySearch(SloMetrics.FirstByteBuckets, seconds);
            bucket = bucket >= 0 ? bucket : ~bucket;
            _bucketCounts[bucket]++;
            _bucketSums[bucket] += seconds;
        }

        Pending++;
    }

    public void Flush()
    {
        if (Pending == 0)
        {
            return;
        }

        for (var i = 0; i < _cells.Length; i++)
        {
            if (_cells[i] != 0)
            {
                metrics.Requests(i).Inc(_cells[i]);
                _cells[i] = 0;
            }
        }

        for (var i = 0; i < _bucketCounts.Length; i++)
        {
            if (_bucketCounts[i] != 0)
            {
                // The mean of values in (lower, upper] lies in (lower, upper]: same bucket, and count × mean is the sum.
                metrics.FirstByte.Observe(_bucketSums[i] / _bucketCounts[i], _bucketCounts[i]);
                _bucketCounts[i] = 0;
                _bucketSums[i] = 0;
            }
        }

        Pending = 0;
    }
}
