using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace HaproxyKafka.Generator.Live;

/// <summary>Real HAProxy in the foreground on a given config, stopped on dispose.</summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private HaproxyProcess(Process process, string configPath)
    {
        _process = process;
        ConfigPath = configPath;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string ConfigPath { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The first line of <c>haproxy -v</c>'s version, e.g. <c>2.6.12-1+deb12u1</c>.</summary>
    public string Version { get; private set; } = "(unknown version)";

    public static async Task<HaproxyProcess> StartAsync(string configPath, int waitForPort, string? executable = null)
    {
        executable ??= ToolPath.Locate("haproxy");
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-db", "-f", configPath })
        {
            info.ArgumentList.Add(argument);
        }

        var haproxy = new HaproxyProcess(Process.Start(info)!, configPath) { Version = await VersionOfAsync(executable) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (haproxy._process.HasExited)
            {
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

    private static async Task<string> VersionOfAsync(string executable)
    {
        using var version = Process.Start(new ProcessStartInfo(executable, "-v") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var first = (await version.StandardOutput.ReadToEndAsync()).Split('\n')[0];
        await version.WaitForExitAsync();
        var words = first.Split(' ');
        var at = Array.IndexOf(words, "version");
        return at >= 0 && at + 1 < words.Length ? words[at + 1] : first;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
