using System.Diagnostics;
using System.Globalization;
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
        long sent = 0, eagain = 0;
        var cpuBefore = CpuSeconds(run.Forwarder.Pid);
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

        var sendSeconds = clock.Elapsed.TotalSeconds;
        await run.WaitForQuietAsync(sent, TimeSpan.FromMinutes(5));
        var totalSeconds = clock.Elapsed.TotalSeconds;
        var cpu = CpuSeconds(run.Forwarder.Pid) - cpuBefore;
        var peakRss = PeakRssBytes(run.Forwarder.Pid);
        var ledger = await run.CountersAsync();
        var metrics = await run.Forwarder.GetAsync("metrics");
        var rss = double.Parse(Regex.Match(metrics, @"^process_resident_memory_bytes (\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offered {lines} lines at {(ratePerSecond > 0 ? ratePerSecond.ToString(CultureInfo.InvariantCulture) + "/s" : "full speed")}: sent {sent} in {sendSeconds:F2}s ({sent / sendSeconds:F0}/s), EAGAIN at the socket {eagain}; " +
            $"daemon: received {ledger.Received}, delivered {ledger.Delivered}, dead-lettered {ledger.DeadLettered}, dropped {ledger.Dropped}, in flight {ledger.InFlight}; " +
            $"delivered {ledger.Delivered / totalSeconds:F0} lines/s end to end; RSS {rss / 1048576:F0} MiB (peak {peakRss / 1048576:F0} MiB); " +
            $"daemon CPU {cpu:F2} s, {cpu / Math.Max(1, ledger.Received) * 100_000:F2} s per 100k lines; qlen {ListeningQlen()}"));
        return ledger.Received == sent && ledger.Delivered == sent ? 0 : 1;
    }

    /// <summary>utime + stime of the process, fields 14 and 15 of /proc/PID/stat, in clock ticks (USER_HZ, 100 on Linux).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double PeakRssBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024.0;
    }

    private static string ListeningQlen() => File.ReadAllText("/proc/sys/net/unix/max_dgram_qlen").Trim();
}
