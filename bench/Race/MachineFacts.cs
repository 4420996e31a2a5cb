using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HaproxyKafka.Race;

/// <summary>What the figures depend on, recorded with them.</summary>
public sealed record MachineFacts(int Cores, int Qlen, string Kernel, string Dotnet, string Librdkafka, string Rsyslog, string Haproxy, string LoadBefore, string LoadAfter, DateTime StartedUtc)
{
    public static int CurrentQlen() => int.Parse(File.ReadAllText("/proc/sys/net/unix/max_dgram_qlen").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static MachineFacts Collect() => new(
        Environment.ProcessorCount,
        CurrentQlen(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        Run("dpkg-query", "-W -f=${Version} librdkafka1"),
        Run("dpkg-query", "-W -f=${Version} rsyslog"),
        Run("dpkg-query", "-W -f=${Version} haproxy"),
        LoadAverage(),
        string.Empty,
        DateTime.UtcNow);

    private static string Run(string tool, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : "not installed";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }
}
