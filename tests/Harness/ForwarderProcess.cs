using HaproxyKafka.Loopback;

namespace HaproxyKafka.Harness;

/// <summary>The daemon as its own process (the apphost built next to this assembly), as systemd would run it.</summary>
public sealed class ForwarderProcess : IAsyncDisposable
{
    private readonly LoggedProcess _process;

    private ForwarderProcess(LoggedProcess process, Uri monitoring)
    {
        _process = process;
        Monitoring = monitoring;
    }

    public Uri Monitoring { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log => _process.Log;

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "haproxykafka");

    /// <summary>
    /// Starts <c>haproxykafka -c CONFIG</c> and waits until /readyz answers 200: the socket is bound and read. (The
    /// monitoring listener comes up before the socket, so an answer alone does not mean lines are accepted yet.)
    /// </summary>
    public static Task<ForwarderProcess> StartAsync(string configPath, int monitoringPort, IReadOnlyDictionary<string, string>? environment = null) =>
        WaitUntilReadyAsync(new ForwarderProcess(LoggedProcess.Start(Executable, ["-c", configPath], environment), new Uri($"http://127.0.0.1:{monitoringPort}/")));

    /// <summary>
    /// Starts the daemon the way systemd's socket activation does, with systemd's own tool: <c>systemd-socket-activate
    /// --datagram -l SOCKET</c> binds the socket, waits for the first datagram, then execs the daemon (same PID) with
    /// the socket as fd 3 and LISTEN_FDS/LISTEN_PID set. <paramref name="firstDatagram"/> is that first datagram.
    /// </summary>
    public static async Task<ForwarderProcess> StartSocketActivatedAsync(string configPath, int monitoringPort, string socketPath, byte[] firstDatagram, IReadOnlyDictionary<string, string>? environment = null)
    {
        // systemd-socket-activate hands the daemon only TERM, PATH, USER, HOME and what -E names.
        var passed = (environment ?? new Dictionary<string, string>()).SelectMany(kv => new[] { "-E", $"{kv.Key}={kv.Value}" });
        var forwarder = new ForwarderProcess(
            LoggedProcess.Start("systemd-socket-activate", ["--datagram", "-l", socketPath, .. passed, Executable, "-c", configPath], environment),
            new Uri($"http://127.0.0.1:{monitoringPort}/"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(socketPath) && !forwarder.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        using (var wake = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified))
        {
            wake.SendTo(firstDatagram, new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        }

        return await WaitUntilReadyAsync(forwarder);
    }

    /// <summary>
    /// Waits for the exit by polling: a successor started on SIGUSR2 inherits stdout and stderr, so waiting for their
    /// end, as <c>Process.WaitForExitAsync</c> does, would wait for the successor too.
    /// </summary>
    public async Task<int> WaitForExitCodeAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_process.HasExited)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"haproxykafka {Pid} did not exit within {timeout}:\n{Log}");
            }

            await Task.Delay(50);
        }

        return _process.ExitCode;
    }

    private static async Task<ForwarderProcess> WaitUntilReadyAsync(ForwarderProcess forwarder)
    {
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
                using var response = await http.GetAsync(new Uri(forwarder.Monitoring, "readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return forwarder;
                }

                await Task.Delay(100);
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

    /// <summary>The daemon's ledger as <c>/debug/state</c> reports it.</summary>
    public async Task<Ledger> CountersAsync() => Ledger.FromDebugState(await GetAsync("debug/state"));

    /// <summary>SIGTERM and wait: the daemon drains, flushes and exits on its own.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Signals.Terminate(_process.Id);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
