using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>The standard <c>process_*</c> metrics (unprefixed, as every Prometheus client library exports them), from /proc.</summary>
internal sealed class ProcessMetrics : IMetric
{
    private static readonly double StartTime = (Process.GetCurrentProcess().StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;

    public void WriteTo(StringBuilder text, string prefix)
    {
        using var process = Process.GetCurrentProcess();
        Write(text, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter", process.TotalProcessorTime.TotalSeconds);
        Write(text, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", process.WorkingSet64);
        Write(text, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", process.VirtualMemorySize64);
        Write(text, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge", StartTime);
        Write(text, "process_open_fds", "Number of open file descriptors.", "gauge", OpenFds());
        Write(text, "process_max_fds", "Maximum number of open file descriptors.", "gauge", MaxFds());
        Write(text, "process_threads", "Number of OS threads in the process.", "gauge", process.Threads.Count);
        Write(text, "dotnet_gc_heap_size_bytes", "Bytes in the managed heap after the last collection.", "gauge", GC.GetGCMemoryInfo().HeapSizeBytes);
        Write(text, "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since start.", "counter", GC.GetTotalAllocatedBytes());
    }

    private static void Write(StringBuilder text, string name, string help, string type, double value)
    {
        Exposition.Header(text, name, help, type);
        Exposition.Sample(text, name, null, null, value);
    }

    private static double OpenFds()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    private static double MaxFds()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: > 3 } && double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
