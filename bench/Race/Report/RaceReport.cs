using System.Globalization;
using System.Text;

namespace HaproxyKafka.Race.Report;

/// <summary>
/// The "## Race" section of docs/benchmarks.md: command, machine facts, one table per qlen and the plots. The section
/// is the last of the file; writing it replaces the previous one and leaves everything above untouched.
/// </summary>
public static class RaceReport
{
    public const string Heading = "## Race";

    public static string Markdown(IReadOnlyList<RaceResults> results, string command, string? note)
    {
        var first = results[0].Machine;
        var s = new StringBuilder();
        s.AppendLine(Heading).AppendLine();
        s.AppendLine("Real HAProxy datagrams sent the way HAProxy's logger sends them (unconnected AF_UNIX datagram socket,");
        s.AppendLine("non-blocking `sendto`, EAGAIN counted as a dropped line, paced in 1 ms ticks, or back to back at \"max\") to three");
        s.AppendLine("receivers in turn, each with a fresh librdkafka mock broker (snappy, acks=all): the raw `recv()` floor");
        s.AppendLine("(`bench/RawReceiver`), rsyslog + omkafka (`bench/peers/rsyslog-omkafka.conf`) and haproxykafka");
        s.AppendLine("(`bench/peers/haproxykafka.yaml`, Release build). Offered and accepted/s over the sending time (10 s); delivered =");
        s.AppendLine("the broker's end offset (for the floor: what it received), delivered/s over the time until the receiver was done;");
        s.AppendLine("CPU and peak RSS of the receiver's process tree; p99 delivery (the daemon only): its `delivery_latency_seconds`");
        s.AppendLine("histogram, from receiving the datagram to the delivery report, interpolated inside the bucket shown in ms.");
        s.AppendLine("How to read every column and what the rsyslog config does:");
        s.AppendLine("[bench/README.md](../bench/README.md).").AppendLine();
        s.AppendLine("    " + command).AppendLine();
        if (!string.IsNullOrWhiteSpace(note))
        {
            s.AppendLine($"**{note.Trim()}**").AppendLine();
        }

        s.AppendLine(Inv($"Machine: {first.Cores} cores, {first.Kernel}, {first.Dotnet}, librdkafka {first.Librdkafka}, rsyslog {first.Rsyslog}, HAProxy {first.Haproxy}; started {first.StartedUtc:yyyy-MM-dd HH:mm} UTC. "));
        s.AppendLine(Inv($"Corpus: {results[0].CorpusLines} request lines made by real HAProxy on the generated config (median {results[0].CorpusMedianBytes} B), sent round-robin."));
        s.AppendLine();
        foreach (var result in results)
        {
            s.AppendLine(Inv($"### qlen {result.Machine.Qlen} (`net.unix.max_dgram_qlen`; load average {result.Machine.LoadBefore} before, {result.Machine.LoadAfter} after)")).AppendLine();
            s.AppendLine("| receiver | offered | offered/s | accepted/s | EAGAIN | received | delivered | delivered/s | lost inside | CPU s | CPU s/100k | peak RSS | p99 delivery | read-back (same / byte-exact / not JSON / sampled) |");
            s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var run in result.Runs)
            {
                var readBack = run.ReadBack is { } rb ? $"{rb.SameValues} / {rb.Exact} / {rb.InvalidJson} / {rb.Sampled}" + Mismatches(rb) : "-";
                s.AppendLine(Inv($"| {run.Receiver} | {run.RateLabel} | {run.OfferedRate:N0} | {run.AcceptedRate:N0} | {run.EagainPercent:F1} % | {Count(run.Received)} | {Count(run.Delivered)} | {run.ArrivedRate:N0} | {Count(run.LostInside)} | {run.CpuSeconds:F2} | {run.CpuPer100k:F2} | {run.PeakRssMib:F0} MiB | {P99(run.DeliveryP99)} | {readBack} |"));
            }

            s.AppendLine();
        }

        s.AppendLine("![lines lost (EAGAIN and inside) vs offered rate](bench/race-loss.png)");
        s.AppendLine("![CPU seconds per 100k lines vs offered rate](bench/race-cpu.png)");
        s.AppendLine("![peak RSS vs offered rate](bench/race-rss.png)");
        s.AppendLine("![p99 datagram to delivery report vs offered rate](bench/race-latency.png)");
        return s.ToString();
    }

    /// <summary>Replaces the "## Race" section (from its heading to the end of the file), or appends it.</summary>
    public static string ReplaceSection(string document, string section)
    {
        var at = document.IndexOf("\n" + Heading + "\n", StringComparison.Ordinal);
        var kept = at < 0 ? document.TrimEnd('\n') : document[..at].TrimEnd('\n');
        return kept + "\n\n" + section;
    }

    private static string Mismatches(Measuring.ReadBack readBack) =>
        readBack.Mismatches.Count == 0 ? string.Empty :
            " (differing: " + string.Join(", ", readBack.Mismatches.OrderByDescending(m => m.Value).Take(4).Select(m => $"{m.Key} {m.Value}")) + ")";

    private static string P99(Measuring.LatencyQuantile? p99) => p99 switch
    {
        null => "-",
        { UpperMs: double.PositiveInfinity } => Inv($"> {p99.LowerMs:F0} ms"),
        _ => Inv($"{p99.Ms:F1} ms ({p99.LowerMs:F0}-{p99.UpperMs:F0})"),
    };

    private static string Count(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
