using System.Diagnostics;
using System.Text;

namespace HaproxyKafka.Demo.Harness;

/// <summary>The daemon as its own process (the apphost built next to this assembly), as systemd would run it.</summary>
public sealed class ForwarderProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ForwarderProcess(Process process, Uri monitoring)
    {
        _process = process;
        Monitoring = monitoring;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Monitoring { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "haproxykafka");

    /// <summary>Starts <c>haproxykafka -c CONFIG</c> and waits until /healthz answers (the socket is bound by then).</summary>
    public static async Task<ForwarderProcess> StartAsync(string configPath, int monitoringPort, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(configPath);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var forwarder = new ForwarderProcess(Process.Start(info)!, new Uri($"http://127.0.0.1:{monitoringPort}/"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (forwarder._process.HasExited)
            {
                throw new InvalidOperationException($"haproxykafka exited with {forwarder._process.ExitCode}:\n{forwarder.Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(forwarder.Monitoring, "healthz"));
                return forwarder;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
            catch (TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }

        await forwarder.DisposeAsync();
        throw new TimeoutException($"haproxykafka did not answer on {forwarder.Monitoring}:\n{forwarder.Log}");
    }

    public async Task<string> GetAsync(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(Monitoring, path));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>SIGTERM and wait: the daemon drains, flushes and exits on its own.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Signals.Terminate(_process.Id);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
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
