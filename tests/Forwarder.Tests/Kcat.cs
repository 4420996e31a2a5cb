using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests;

/// <summary>kcat, the independent reader: what it sees on the broker is what downstream would see.</summary>
internal static class Kcat
{
    public static async Task<IReadOnlyList<string>> ReadAllAsync(string brokers, string topic, string format = "%s\n")
    {
        var result = await ExternalTool.RunAsync("kcat", ["-C", "-b", brokers, "-t", topic, "-o", "beginning", "-e", "-q", "-f", format], timeout: TimeSpan.FromMinutes(2));
        result.ExitCode.Should().Be(0, result.ToString());
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
