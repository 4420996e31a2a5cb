using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HaproxyKafka.Forwarder.Tests.E2E;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Lifecycle;

/// <summary>
/// The daemon takes its socket from systemd (LISTEN_FDS, fd 3), started by systemd's own <c>systemd-socket-activate</c>:
/// it delivers, and on SIGTERM leaves the socket file alone (systemd, not the daemon, owns it).
/// </summary>
public class SocketActivationTests
{
    [Fact]
    public async Task A_socket_activated_daemon_delivers_and_leaves_the_socket_file_when_it_stops()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, socketActivated: true);
        using (var sender = new DatagramSender(run.SocketPath))
        {
            for (var i = 0; i < 100; i++)
            {
                sender.Send(Lines.Request(run.Fingerprint, i));
            }
        }

        (await run.WaitForQuietAsync(101, TimeSpan.FromSeconds(60))).Should().Be(100);
        run.Forwarder.Log.Should().Contain("ready (socket from Systemd)");
        var exit = await run.Forwarder.TerminateAsync(TimeSpan.FromSeconds(60));

        exit.Should().Be(0, run.Forwarder.Log);
        File.Exists(run.SocketPath).Should().BeTrue("a socket from systemd outlives the process; the kernel keeps queueing for the next one");
        var topic = await Kcat.ReadAllAsync(run.Cluster.BootstrapServers, run.Topic);
        topic.Select(m => JsonDocument.Parse(m).RootElement.GetProperty("sequence").GetInt64()).Should().BeEquivalentTo(Enumerable.Range(0, 100));
        run.Forwarder.Log.Should().Contain("dropped 1", "the datagram that woke the daemon was a notice");
    }

    [Fact]
    public async Task A_daemon_that_binds_its_socket_itself_still_removes_it_when_it_stops_and_warns_it_is_world_writable()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);

        var exit = await run.Forwarder.TerminateAsync(TimeSpan.FromSeconds(60));

        exit.Should().Be(0, run.Forwarder.Log);
        File.Exists(run.SocketPath).Should().BeFalse("the daemon created it and nobody reads it any more");
        run.Forwarder.Log.Should().Contain("ready (socket from Bound)")
            .And.Contain($"the socket {run.SocketPath} is world-writable (mode 622)", "the harness config keeps production's 0622");
    }

    [Fact]
    public async Task A_socket_from_systemd_on_another_path_is_refused_with_exit_78_naming_both()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        var other = Path.Combine(run.Scratch, "other.sock");

        var result = await RunSocketActivatedAsync(run.ConfigPath, ["--datagram", "-l", other], other, SocketType.Dgram);

        result.ExitCode.Should().Be(78, result.Log);
        result.Log.Should().Contain($"haproxykafka: cannot start: the socket passed by systemd (LISTEN_FDS, fd 3) is bound to '{other}' but socket.path is '{run.SocketPath}'");
    }

    [Fact]
    public async Task A_stream_socket_from_systemd_is_refused_with_exit_78()
    {
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false);
        var stream = Path.Combine(run.Scratch, "stream.sock");

        var result = await RunSocketActivatedAsync(run.ConfigPath, ["-l", stream], stream, SocketType.Stream);

        result.ExitCode.Should().Be(78, result.Log);
        result.Log.Should().Contain("is Unix/Stream; haproxykafka needs a unix datagram socket");
    }

    private static async Task<(int ExitCode, string Log)> RunSocketActivatedAsync(string config, string[] activation, string path, SocketType type)
    {
        await using var process = LoggedProcess.Start("systemd-socket-activate", [.. activation, ForwarderProcess.Executable, "-c", config]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(path) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        // systemd-socket-activate execs the daemon on the first datagram or connection.
        using var wake = new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified);
        if (type == SocketType.Dgram)
        {
            wake.SendTo(Encoding.UTF8.GetBytes(EndToEnd.WakeUpNotice), new UnixDomainSocketEndPoint(path));
        }
        else
        {
            wake.Connect(new UnixDomainSocketEndPoint(path));
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, process.Log);
    }
}
