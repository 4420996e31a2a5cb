using System.Globalization;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Cli;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Receiving;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>
/// User names in <c>socket.allowed_uids</c> are resolved where the daemon starts (<see cref="StartupChecks"/>), with
/// glibc's lookup; a name this machine does not know stops the start with the entry's file and line.
/// </summary>
public sealed class SenderAllowListTests : IDisposable
{
    private readonly TempDirectory _scratch = new();

    [Fact]
    public void The_daemons_start_resolves_names_and_keeps_uids_as_written()
    {
        var err = new StringWriter();

        var loaded = StartupChecks.Load(WriteConfig("[root, nobody, 4242]"), err);

        loaded.Should().NotBeNull(err.ToString());
        var allowed = SenderAllowList.From(loaded!.Value.Config.Socket)!;
        allowed.Uids.Should().Equal(0u, 4242u, 65534u);
        allowed.Allows(65534).Should().BeTrue();
        allowed.Allows(1000).Should().BeFalse();
    }

    [Fact]
    public void A_name_this_machine_does_not_know_stops_the_start_naming_file_line_and_fix()
    {
        var err = new StringWriter();
        var config = WriteConfig("\n    - root\n    - haproxykafka-no-such-user");

        StartupChecks.Load(config, err).Should().BeNull();

        err.ToString().Should().Contain(
            $"{config}:8:7: error: 'socket.allowed_uids' names the user 'haproxykafka-no-such-user', which does not exist on this machine; " +
            "create the user, correct the name, or write the uid HAProxy runs as (id -u haproxykafka-no-such-user where it exists)");
    }

    [Fact]
    public void Without_the_key_there_is_no_list()
    {
        var err = new StringWriter();

        var loaded = StartupChecks.Load(WriteConfig(null), err);

        SenderAllowList.From(loaded!.Value.Config.Socket).Should().BeNull();
    }

    [Fact]
    public void A_name_left_unresolved_is_a_programming_error_not_an_empty_list()
    {
        var settings = new SocketSettings("/run/x.sock", 0, null, null, 1024, TimeSpan.FromSeconds(1), 0)
        {
            AllowedSenders = [new AllowedSender("haproxy", null, new SourceLocation("config.yaml", 5, 7))],
        };

        var from = () => SenderAllowList.From(settings);

        from.Should().Throw<InvalidOperationException>().WithMessage("*'haproxy' (config.yaml:5:7)*");
    }

    public void Dispose() => _scratch.Dispose();

    private string WriteConfig(string? allowedUids)
    {
        var path = _scratch.File("config.yaml");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            workers: 1
            sdid: haproxykafka@0
            socket:
              path: {_scratch.File("haproxykafka.sock")}
              mode: '0620'
            {(allowedUids is null ? string.Empty : "  allowed_uids: " + allowedUids)}
            kafka:
              topic: webrequest_frontend_text
              dlq_topic: webrequest_errors
              rdkafka:
                bootstrap.servers: 127.0.0.1:1
            parser_table: {Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json")}
            """));
        return path;
    }
}
