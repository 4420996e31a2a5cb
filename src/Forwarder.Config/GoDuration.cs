using System.Globalization;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>Go's duration syntax (<c>1000ms</c>, <c>1.5s</c>, <c>1m30s</c>) as production's config writes it.</summary>
public static class GoDuration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
        {
            return false;
        }

        while (!rest.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }

            var unitLength = 0;
            while (numberLength + unitLength < rest.Length && char.IsAsciiLetter(rest[numberLength + unitLength]))
            {
                unitLength++;
            }

            if (numberLength == 0 || unitLength == 0 ||
                !double.TryParse(rest[..numberLength], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var scale = rest.Slice(numberLength, unitLength) switch
            {
                "ns" => 1e-6,
                "us" or "µs" => 1e-3,
                "ms" => 1.0,
                "s" => 1000.0,
                "m" => 60_000.0,
                "h" => 3_600_000.0,
                _ => double.NaN,
            };
            if (double.IsNaN(scale))
            {
                return false;
            }

            value += TimeSpan.FromMilliseconds(number * scale);
            rest = rest[(numberLength + unitLength)..];
        }

        return true;
    }
}
