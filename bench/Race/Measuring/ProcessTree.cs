using System.Globalization;

namespace HaproxyKafka.Race.Measuring;

/// <summary>
/// A receiver's process and its descendants as /proc shows them: CPU time (utime + stime of every thread, in clock
/// ticks of 1/100 s) and peak resident memory (VmHWM), summed over the tree.
/// </summary>
public static class ProcessTree
{
    private const double TicksPerSecond = 100;

    public static double CpuSeconds(int root) => Members(root).Sum(pid => CpuTicks(pid)) / TicksPerSecond;

    public static double PeakRssMib(int root) => Members(root).Sum(pid => StatusKiB(pid, "VmHWM:")) / 1024.0;

    private static IEnumerable<int> Members(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } fields)
            {
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        var members = new HashSet<int> { root };
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (members.Contains(parent) && members.Add(pid))
                {
                    grew = true;
                }
            }
        }
        while (grew);
        return members;
    }

    private static long CpuTicks(int pid) =>
        Stat(pid) is { } fields ? long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture) : 0;

    /// <summary>The fields of /proc/PID/stat after the command name (which may hold spaces): [0] is the state.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long StatusKiB(int pid, string key)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
