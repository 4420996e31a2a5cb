using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using HaproxyKafka.Harness;

namespace HaproxyKafka.Forwarder.Benchmarks;

/// <summary>
/// End-to-end load: the daemon process on the mock broker, fed by a sender that writes datagrams non-blocking as
/// HAProxy does and counts EAGAIN as drops (HAProxy's DroppedLogs). Reports offered and delivered rate, loss, the
/// daemon's CPU seconds per 100k lines (from /proc/PID/stat around the run) and its peak RSS (VmHWM).
/// </summary>
internal static class LoadRun
{
    public static async Task<int> RunAsync(int lines, int ratePerSecond)
    {
        await using var run = await EndToEnd.StartAsync(Paths.Schema, withHaproxy: false);
        var payloads = Enumerable.Range(0, 1024).Select(i => Encoding.UTF8.GetBytes(SampleLines.Typical(run.Fingerprint, i))).ToArray();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
        var target = new UnixDomainSocketEndPoint(run.SocketPath);

        // Warm-up, not measured: the JIT's tiered recompilation of the hot path happens here, as it does once in a
        // daemon's life, not in every measured second.
        var warmUp = Send(socket, target, payloads, Math.Min(20_000, lines / 5), ratePerSecond);
        await run.WaitForQuietAsync(warmUp.Sent, TimeSpan.FromMinutes(5));
        var before = await run.CountersAsync();

        var cpuBefore = CpuSeconds(run.Forwarder.Pid);
        var threadsBefore = ThreadCpu(run.Forwarder.Pid);
        var clock = Stopwatch.StartNew();
        var (sent, eagain, sendSeconds) = Send(socket, target, payloads, lines, ratePerSecond);
        await run.WaitForQuietAsync(before.Received + sent, TimeSpan.FromMinutes(5));
        var totalSeconds = clock.Elapsed.TotalSeconds;
        var cpu = CpuSeconds(run.Forwarder.Pid) - cpuBefore;
        var threadsAfter = ThreadCpu(run.Forwarder.Pid);
        var peakRss = PeakRssBytes(run.Forwarder.Pid);
        var after = await run.CountersAsync();
        var ledger = new Ledger(after.Received - before.Received, after.Delivered - before.Delivered, after.DeadLettered - before.DeadLettered, after.Dropped - before.Dropped, after.InFlight);
        var metrics = await run.Forwarder.GetAsync("metrics");
        var rss = double.Parse(Regex.Match(metrics, @"^process_resident_memory_bytes (\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offered {lines} lines at {(ratePerSecond > 0 ? ratePerSecond.ToString(CultureInfo.InvariantCulture) + "/s" : "full speed")} (after a warm-up of {warmUp.Sent}): sent {sent} in {sendSeconds:F2}s ({sent / sendSeconds:F0}/s), EAGAIN at the socket {eagain} ({100.0 * eagain / lines:F1} %); " +
            $"daemon: received {ledger.Received}, delivered {ledger.Delivered}, dead-lettered {ledger.DeadLettered}, dropped {ledger.Dropped}, in flight {ledger.InFlight}; " +
            $"delivered {ledger.Delivered / totalSeconds:F0} lines/s end to end; RSS {rss / 1048576:F0} MiB (peak {peakRss / 1048576:F0} MiB); " +
            $"daemon CPU {cpu:F2} s, {cpu / Math.Max(1, ledger.Received) * 100_000:F2} s per 100k lines; qlen {ListeningQlen()}"));
        Console.WriteLine("daemon CPU by thread (s): " + string.Join(", ", threadsAfter
            .GroupBy(t => t.Value.Name, t => t.Value.Seconds - (threadsBefore.TryGetValue(t.Key, out var b) ? b.Seconds : 0))
            .Select(g => (Name: g.Key, Seconds: g.Sum()))
            .Where(g => g.Seconds >= 0.01)
            .OrderByDescending(g => g.Seconds)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Name} {g.Seconds:F2}"))));
        return ledger.Received == sent && ledger.Delivered == sent ? 0 : 1;
    }

    /// <summary>Writes <paramref name="lines"/> datagrams as HAProxy does, paced at the rate (0: as fast as possible).</summary>
    private static (long Sent, long Eagain, double Seconds) Send(Socket socket, EndPoint target, byte[][] payloads, int lines, int ratePerSecond)
    {
        long sent = 0, eagain = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < lines; i++)
        {
            if (ratePerSecond > 0)
            {
                while (clock.Elapsed.TotalSeconds * ratePerSecond < i)
                {
                    Thread.SpinWait(20);
                }
            }

            try
            {
                socket.SendTo(payloads[i & 1023], target);
                sent++;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                eagain++;
            }
        }

        return (sent, eagain, clock.Elapsed.TotalSeconds);
    }

    /// <summary>utime + stime of the process, fields 14 and 15 of /proc/PID/stat, in clock ticks (USER_HZ, 100 on Linux).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>CPU seconds per thread (by id, with its name), to see where the daemon spends them.</summary>
    private static Dictionary<string, (string Name, double Seconds)> ThreadCpu(int pid)
    {
        var threads = new Dictionary<string, (string Name, double Seconds)>(StringComparer.Ordinal);
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                threads[Path.GetFileName(task)] = (name, seconds);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return threads;
    }

    private static double PeakRssBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024.0;
    }

    private static string ListeningQlen() => File.ReadAllText("/proc/sys/net/unix/max_dgram_qlen").Trim();
}
