using System.Collections.Immutable;
using System.Globalization;

namespace HaproxyKafka.Forwarder.HaproxyStats;

/// <summary>
/// What one answer to <see cref="StatsSocketClient.Commands"/> says: HAProxy's process id, <c>DroppedLogs</c> (log
/// lines it could not hand to a logger, e.g. EAGAIN on a full socket) and <c>req_tot</c> of every frontend. HAProxy
/// 2.6 has no counter of log lines written: a request on a frontend with <c>log global</c> is one line, so requests
/// per frontend are the closest count (the same series production's NoMessages alert divides by).
/// </summary>
internal sealed record StatsReading(long Pid, long DroppedLogs, ImmutableDictionary<string, long> FrontendRequests)
{
    public static StatsReading Parse(string answer)
    {
        long? pid = null;
        long? dropped = null;
        var frontends = ImmutableDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        int reqTot = -1;
        foreach (var raw in answer.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                reqTot = Array.IndexOf(line[2..].Split(','), "req_tot");
            }
            else if (line.StartsWith("Pid: ", StringComparison.Ordinal))
            {
                pid = Number(line["Pid: ".Length..], "Pid");
            }
            else if (line.StartsWith("DroppedLogs: ", StringComparison.Ordinal))
            {
                dropped = Number(line["DroppedLogs: ".Length..], "DroppedLogs");
            }
            else if (reqTot >= 0 && line.Split(',') is { } columns && columns.Length > reqTot && columns[1] == "FRONTEND")
            {
                frontends[columns[0]] = columns[reqTot].Length == 0 ? 0 : Number(columns[reqTot], "req_tot");
            }
        }

        if (pid is null || dropped is null)
        {
            // A socket that answers "Permission denied" or "Unknown command" (say, not HAProxy's stats socket).
            var first = answer.Split('\n', 2)[0].Trim();
            throw new FormatException($"no Pid/DroppedLogs in the answer to 'show info' (it began: '{(first.Length > 120 ? first[..120] : first)}')");
        }

        return new StatsReading(pid.Value, dropped.Value, frontends.ToImmutable());
    }

    private static long Number(string text, string field) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{field}' is '{text.Trim()}', not a count");
}
