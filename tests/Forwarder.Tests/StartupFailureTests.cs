using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests;

/// <summary>
/// A daemon that cannot start says why, exits 78 (the unit does not restart on it) and leaves nothing behind: the
/// monitoring listener it had opened is closed and no socket file of its own remains.
/// </summary>
public class StartupFailureTests
{
    [Fact]
    public async Task A_socket_in_a_missing_directory_exits_78_naming_the_path_and_releases_the_listener()
    {
        using var dir = new TempDirectory();
        var socket = Path.Combine(dir.Path, "missing", "haproxykafka.sock");
        var port = FreePort.Next();

        var result = await RunAsync(dir, socket, port);

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Should().Contain($"haproxykafka: cannot start: cannot bind the socket {socket}: the directory {Path.GetDirectoryName(socket)} does not exist");
        File.Exists(socket).Should().BeFalse();
        PortIsFree(port).Should().BeTrue("the listener the daemon had opened is closed");
    }

    [Fact]
    public async Task A_socket_path_held_by_a_live_socket_exits_78_and_leaves_that_socket_alone()
    {
        using var dir = new TempDirectory();
        using var other = new UnixDatagramReceiver(dir.File("haproxykafka.sock"));
        var port = FreePort.Next();

        var result = await RunAsync(dir, other.Path, port);

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Should().Contain($"haproxykafka: cannot start: {other.Path} is in use by a running process");
        using (var sender = new DatagramSender(other.Path))
        {
            sender.Send("still mine\n");
        }

        (await other.ReceiveAsync(TimeSpan.FromSeconds(5))).Should().Equal("still mine\n"u8.ToArray(), "the other process keeps its socket");
        PortIsFree(port).Should().BeTrue();
    }

    [Fact]
    public async Task A_taken_monitoring_port_exits_78_before_the_socket_is_ever_bound()
    {
        using var dir = new TempDirectory();
        var socket = dir.File("haproxykafka.sock");
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await RunAsync(dir, socket, port);

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Should().Contain("haproxykafka: cannot start: ").And.Contain($"127.0.0.1:{port}");
        File.Exists(socket).Should().BeFalse("nothing is received before the metrics listener is up");
    }

    [Fact]
    public async Task A_librdkafka_property_it_refuses_exits_78_naming_the_property()
    {
        using var dir = new TempDirectory();
        var socket = dir.File("haproxykafka.sock");

        var result = await RunAsync(dir, socket, FreePort.Next(), "acks: banana");

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Should().Contain("haproxykafka: cannot start: kafka.rdkafka: Invalid value for configuration property \"request.required.acks\"");
        File.Exists(socket).Should().BeFalse();
    }

    private static async Task<ProcessResult> RunAsync(TempDirectory dir, string socket, int port, string rdkafka = "")
    {
        var config = dir.File("config.yaml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            workers: 1
            sdid: haproxykafka@0
            socket:
              path: {socket}
              mode: '0622'
            kafka:
              topic: webrequest_frontend_text
              dlq_topic: webrequest_errors
              rdkafka:
                bootstrap.servers: 127.0.0.1:1
                {rdkafka}
            monitoring:
              server_bind: "127.0.0.1:{port}"
              prometheus_prefix: haproxykafka_
            parser_table: {Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json")}
            dead_letter_path: {dir.File("dead-letters.jsonl")}
            """));
        return await ExternalTool.RunAsync(ForwarderProcess.Executable, ["-c", config], timeout: TimeSpan.FromSeconds(60));
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
