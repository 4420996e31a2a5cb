using System.Globalization;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>A size in bytes as the config writes it: a plain number or one with a binary unit (<c>64KiB</c>, <c>512MiB</c>, <c>2GiB</c>).</summary>
public static class ByteSize
{
    private static readonly (string Unit, long Factor)[] Units = [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40), ("B", 1)];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var trimmed = text.Trim();
        var factor = 1L;
        foreach (var (unit, f) in Units)
        {
            if (trimmed.EndsWith(unit, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^unit.Length].TrimEnd();
                factor = f;
                break;
            }
        }

        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue / factor)
        {
            return false;
        }

        bytes = number * factor;
        return true;
    }
}
