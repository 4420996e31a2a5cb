using System.Diagnostics;
using System.Net.Sockets;

namespace HaproxyKafka.Loopback;

/// <summary>Real HAProxy in the foreground on a given config, stopped on dispose.</summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly LoggedProcess _process;

    private HaproxyProcess(LoggedProcess process, string configPath, string version)
    {
        _process = process;
        ConfigPath = configPath;
        Version = version;
    }

    public string ConfigPath { get; }

    public string Log => _process.Log;

    /// <summary>The version <c>haproxy -v</c> prints, e.g. <c>2.6.12-1+deb12u1</c>.</summary>
    public string Version { get; }

    public static async Task<HaproxyProcess> StartAsync(string configPath, int waitForPort, string? executable = null)
    {
        executable ??= ToolPath.Locate("haproxy");
        var version = await VersionOfAsync(executable);
        var haproxy = new HaproxyProcess(LoggedProcess.Start(executable, ["-db", "-f", configPath]), configPath, version);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (haproxy._process.HasExited)
            {
                await haproxy._process.WaitForExitAsync();
                throw new InvalidOperationException($"haproxy exited with {haproxy._process.ExitCode}:\n{haproxy.Log}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", waitForPort);
                return haproxy;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        await haproxy.DisposeAsync();
        throw new TimeoutException($"haproxy did not listen on {waitForPort}:\n{haproxy.Log}");
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static async Task<string> VersionOfAsync(string executable)
    {
        using var version = Process.Start(new ProcessStartInfo(executable, "-v") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var first = (await version.StandardOutput.ReadToEndAsync()).Split('\n')[0];
        await version.WaitForExitAsync();
        var words = first.Split(' ');
        var at = Array.IndexOf(words, "version");
        return at >= 0 && at + 1 < words.Length ? words[at + 1] : first;
    }
}
