using System.Diagnostics;
using System.Globalization;
using Prometheus;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>
/// The process and GC series the daemon has always exported, unprefixed and under the names the Prometheus client
/// libraries' process collectors use (<c>process_resident_memory_bytes</c>, <c>process_open_fds</c>, ...), sampled
/// from the runtime and /proc on each scrape. prometheus-net's own process and .NET collectors are not used: their
/// names differ (<c>process_working_set_bytes</c>, <c>process_num_threads</c>, ...) and three would collide with these.
/// </summary>
internal sealed class ProcessMetrics
{
    private static readonly double StartTime = (Process.GetCurrentProcess().StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;

    private readonly Counter _cpu;
    private readonly Gauge _resident;
    private readonly Gauge _virtual;
    private readonly Gauge _openFds;
    private readonly Gauge _maxFds;
    private readonly Gauge _threads;
    private readonly Gauge _heap;
    private readonly Counter _allocated;

    public ProcessMetrics(IMetricFactory factory)
    {
        _cpu = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        _resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        _virtual = factory.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        factory.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.").Set(StartTime);
        _openFds = factory.CreateGauge("process_open_fds", "Number of open file descriptors.");
        _maxFds = factory.CreateGauge("process_max_fds", "Maximum number of open file descriptors.");
        _threads = factory.CreateGauge("process_threads", "Number of OS threads in the process.");
        _heap = factory.CreateGauge("dotnet_gc_heap_size_bytes", "Bytes in the managed heap after the last collection.");
        _allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since start.");
    }

    /// <summary>Reads the current values; registered as a before-collect callback, so it runs once per scrape.</summary>
    public void Sample()
    {
        using var process = Process.GetCurrentProcess();
        _cpu.IncTo(process.TotalProcessorTime.TotalSeconds);
        _resident.Set(process.WorkingSet64);
        _virtual.Set(process.VirtualMemorySize64);
        _openFds.Set(OpenFds());
        _maxFds.Set(MaxFds());
        _threads.Set(process.Threads.Count);
        _heap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
        _allocated.IncTo(GC.GetTotalAllocatedBytes());
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
