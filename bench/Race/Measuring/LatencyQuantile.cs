using System.Globalization;
using System.Text.RegularExpressions;

namespace HaproxyKafka.Race.Measuring;

/// <summary>
/// A quantile of a Prometheus histogram read from the daemon's <c>/metrics</c> text, with the bucket that holds it:
/// the value is interpolated linearly inside that bucket (as PromQL's <c>histogram_quantile</c> does), so it is only
/// as exact as <see cref="LowerMs"/> to <see cref="UpperMs"/> say. The race's daemon config has 1 ms buckets up to
/// 10 ms and 5 ms buckets up to 60 ms, so a p99 near the 50 ms target is bracketed to 5 ms.
/// </summary>
public sealed partial record LatencyQuantile(double Ms, double LowerMs, double UpperMs, long Observations)
{
    /// <summary>The quantile <paramref name="q"/> of histogram <paramref name="name"/>; null if it has no observations.</summary>
    public static LatencyQuantile? Read(string exposition, string name, double q)
    {
        var buckets = new List<(double Upper, long Count)>();
        foreach (Match m in Bucket().Matches(exposition))
        {
            if (m.Groups["name"].Value != name)
            {
                continue;
            }

            var le = m.Groups["le"].Value;
            var upper = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            buckets.Add((upper, (long)double.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)));
        }

        buckets.Sort((a, b) => a.Upper.CompareTo(b.Upper));
        var total = buckets.Count > 0 ? buckets[^1].Count : 0;
        if (total == 0)
        {
            return null;
        }

        var rank = q * total;
        var lower = 0.0;
        long below = 0;
        foreach (var (upper, count) in buckets)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(upper))
                {
                    // Beyond the last finite bound: all that can be said is "more than it".
                    return new LatencyQuantile(lower * 1000, lower * 1000, double.PositiveInfinity, total);
                }

                var inside = count - below;
                var value = inside == 0 ? upper : lower + ((upper - lower) * (rank - below) / inside);
                return new LatencyQuantile(value * 1000, lower * 1000, upper * 1000, total);
            }

            lower = upper;
            below = count;
        }

        return null;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)_bucket\{le=""(?<le>[^""]+)""\} (?<count>\S+)", RegexOptions.Multiline)]
    private static partial Regex Bucket();
}
