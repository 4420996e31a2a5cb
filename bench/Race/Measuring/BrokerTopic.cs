using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HaproxyKafka.Loopback;

namespace HaproxyKafka.Race.Measuring;

/// <summary>
/// What the broker holds, read with kcat. Delivery is counted from the end offset: the mock broker keeps only the last
/// 5 MiB of a partition, so reading messages back would undercount; the read-back check uses the newest messages.
/// Messages are read as raw bytes (a peer may write invalid UTF-8, which a text reader would hide).
/// </summary>
public static partial class BrokerTopic
{
    public static async Task<long> EndOffsetAsync(string brokers, string topic, int partitions)
    {
        var query = new List<string> { "-Q", "-b", brokers };
        for (var p = 0; p < partitions; p++)
        {
            query.AddRange(["-t", $"{topic}:{p}:-1"]);
        }

        var (exit, output) = await RunAsync(query);
        var offsets = OffsetLine().Matches(System.Text.Encoding.UTF8.GetString(output));
        if (exit != 0 || offsets.Count != partitions)
        {
            throw new InvalidOperationException($"kcat -Q on {topic} at {brokers} answered {exit}: {System.Text.Encoding.UTF8.GetString(output)}");
        }

        return offsets.Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Up to <paramref name="count"/> of the newest messages of partition 0, each as its bytes.</summary>
    public static async Task<IReadOnlyList<byte[]>> NewestAsync(string brokers, string topic, int count)
    {
        var (exit, output) = await RunAsync(["-C", "-b", brokers, "-t", topic, "-p", "0", "-o", $"-{count}", "-e", "-q", "-X", "fetch.wait.max.ms=10", "-X", "auto.offset.reset=earliest", "-f", "%S %s\n"]);
        if (exit != 0)
        {
            throw new InvalidOperationException($"kcat could not read {topic}: exit {exit}");
        }

        // kcat writes each message as "SIZE PAYLOAD\n", so a payload holding a newline (rsyslog ends its JSON with
        // one) or any other byte is cut at its true length.
        var messages = new List<byte[]>();
        var span = output.AsSpan();
        while (span.Length > 0)
        {
            var space = span.IndexOf((byte)' ');
            var size = int.Parse(span[..space], CultureInfo.InvariantCulture);
            messages.Add(span.Slice(space + 1, size).ToArray());
            span = span[(space + 1 + size + 1)..];
        }

        return messages;
    }

    private static async Task<(int Exit, byte[] Output)> RunAsync(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(ToolPath.Locate("kcat")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        using var buffer = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(buffer);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cts.Token);
        await stderr;
        return (process.ExitCode, buffer.ToArray());
    }

    [GeneratedRegex(@"\[\d+\] offset (\d+)")]
    private static partial Regex OffsetLine();
}
