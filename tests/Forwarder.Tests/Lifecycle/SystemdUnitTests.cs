using HaproxyKafka.Harness;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Lifecycle;

/// <summary>The shipped units as systemd reads them: <c>systemd-analyze verify</c> (no PID 1 needed) and the settings the daemon relies on.</summary>
public class SystemdUnitTests
{
    private static string Packaging => Path.Combine(RepoPaths.Root, "packaging");

    [Fact]
    public async Task Systemd_analyze_verifies_the_service_and_socket_units_without_a_word()
    {
        using var dir = new TempDirectory();

        // verify insists that ExecStart's binary exists: point it at the one built here, nothing else changes.
        var service = File.ReadAllText(Path.Combine(Packaging, "haproxykafka.service"));
        service.Should().Contain("ExecStart=/usr/bin/haproxykafka ");
        File.WriteAllText(dir.File("haproxykafka.service"), service.Replace("ExecStart=/usr/bin/haproxykafka ", $"ExecStart={ForwarderProcess.Executable} ", StringComparison.Ordinal));
        File.Copy(Path.Combine(Packaging, "haproxykafka.socket"), dir.File("haproxykafka.socket"));

        var result = await ExternalTool.RunAsync("systemd-analyze", ["verify", "--man=no", dir.File("haproxykafka.socket"), dir.File("haproxykafka.service")]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdErr.Should().BeEmpty("systemd-analyze warns about unknown keys and bad values on stderr but still exits 0");
    }

    [Fact]
    public void The_socket_unit_is_the_schemas_socket_writable_by_haproxy_only_and_the_service_reloads_with_sigusr2()
    {
        var socket = Settings(File.ReadAllLines(Path.Combine(Packaging, "haproxykafka.socket")));
        var service = Settings(File.ReadAllLines(Path.Combine(Packaging, "haproxykafka.service")));
        var schema = SchemaLoader.LoadFile(RepoPaths.Schema).Schema!;

        // The daemon compares paths with symlinks resolved; /var/run is a link to /run on every systemd host.
        socket["ListenDatagram"].Should().Be(schema.Haproxy.Socket.Replace("/var/run/", "/run/", StringComparison.Ordinal));
        socket["SocketMode"].Should().Be("0620", "HAProxy writes through its group; others must not inject lines");
        socket["SocketGroup"].Should().Be("haproxy");
        socket["SocketUser"].Should().Be(service["User"]);
        socket["RemoveOnStop"].Should().Be("true");
        socket["PassCredentials"].Should().Be("yes", "socket.allowed_uids needs every datagram's sender recorded, from the socket's creation on");
        service["Sockets"].Should().Be("haproxykafka.socket");
        service["Requires"].Should().Be("haproxykafka.socket");
        service["ExecReload"].Should().Be("/bin/kill -USR2 $MAINPID");
        service["NotifyAccess"].Should().Be("main", "the old process announces MAINPID while it is still the main one");
        service["Type"].Should().Be("notify");
    }

    private static Dictionary<string, string> Settings(IEnumerable<string> lines) =>
        lines.Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .GroupBy(kv => kv[0].Trim())
            .ToDictionary(g => g.Key, g => g.Last()[1].Trim());
}
