using System.Globalization;
using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// The librdkafka this process loaded: <c>rd_kafka_version()</c>, <c>rd_kafka_version_str()</c> and the file they
/// live in. It is read through its own two exports, not Confluent.Kafka's <c>Library.Version</c>, because Confluent
/// throws on a library it considers too old, and the daemon wants to say which file that was.
/// </summary>
internal sealed record LoadedLibrdkafka(int Version, string VersionString, string? Path)
{
    /// <summary>The same library the DllImport resolver hands Confluent.Kafka (<see cref="KafkaNativeLibrary"/>); null if it cannot be loaded.</summary>
    public static unsafe LoadedLibrdkafka? Probe()
    {
        if (!KafkaNativeLibrary.TryLoad(out var library)
            || !NativeLibrary.TryGetExport(library, "rd_kafka_version", out var version)
            || !NativeLibrary.TryGetExport(library, "rd_kafka_version_str", out var versionString))
        {
            return null;
        }

        var number = ((delegate* unmanaged<int>)version)();
        var text = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)versionString)()) ?? LibrdkafkaVersion.Format(number);
        return new LoadedLibrdkafka(number, text, MappedFile(version));
    }

    /// <summary>"/usr/lib/x86_64-linux-gnu/librdkafka.so.1, 0x020002ff" or, without a path, the number alone.</summary>
    public string Describe()
    {
        var hex = string.Create(CultureInfo.InvariantCulture, $"0x{Version:x8}");
        return Path is null ? hex : $"{Path}, {hex}";
    }

    /// <summary>
    /// The file mapped at <paramref name="address"/>, from <c>/proc/self/maps</c> (one line per mapping:
    /// <c>start-end perms offset dev inode path</c>). The dynamic loader resolved the name; this is where it went.
    /// </summary>
    private static string? MappedFile(IntPtr address)
    {
        var at = (ulong)address;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                var range = fields[0].Split('-');
                if (fields.Length == 6
                    && ulong.TryParse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                    && ulong.TryParse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end)
                    && at >= start && at < end)
                {
                    return fields[5].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No procfs (a restricted sandbox): the version is what matters; the path is a courtesy.
        }

        return null;
    }
}
