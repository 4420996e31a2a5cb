namespace HaproxyKafka.Diagnostics;

/// <summary>"Did you mean" for misspelled keys and names: the closest candidate by edit distance.</summary>
public static class Suggestion
{
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var a = typed.ToLowerInvariant();
            var b = candidate.ToLowerInvariant();

            // 'length' for 'len': a shortened or lengthened word is as good as a one-letter typo.
            var distance = a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal) ? 1 : Distance(a, b);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // Beyond a third of the word the "suggestion" is noise rather than help.
        return best is not null && bestDistance <= Math.Max(2, typed.Length / 3) ? best : null;
    }

    public static string DidYouMean(string typed, IEnumerable<string> candidates)
    {
        var list = candidates.ToList();
        var closest = Closest(typed, list);
        return closest is null
            ? $"use one of: {string.Join(", ", list)}"
            : $"did you mean '{closest}'?";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
