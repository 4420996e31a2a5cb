using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Receiving;
using HaproxyKafka.Harness;
using HaproxyKafka.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>
/// <c>socket.allowed_uids</c> on the real receive thread and a real socket: one datagram is sent from this process
/// (root, as the tests run in CI) and one by util-linux's <c>logger</c> run as nobody through <c>setpriv</c>, so the
/// kernel's own record of each sender is what the receiver checks.
/// </summary>
public sealed class AllowedSendersTests : IDisposable
{
    private const uint Root = 0;
    private const uint Nobody = NobodySender.Uid;

    // getsockopt(SOL_SOCKET, SO_PASSCRED).
    private const int SolSocket = 1;
    private const int SoPassCred = 16;

    private readonly TempDirectory _scratch = TempDirectory.InMemory();

    public AllowedSendersTests()
    {
        // nobody must reach the socket: the directory searchable by all (the socket's mode 0622 lets others write).
        File.SetUnixFileMode(_scratch.Path, (UnixFileMode)Convert.ToInt32("755", 8));
    }

    [Fact]
    public async Task Only_the_allowed_uid_is_queued_and_the_other_is_dropped_as_sender_not_allowed_with_a_warning_naming_uid_and_pid()
    {
        using var queue = new LineQueue(1 << 20);
        var metrics = TestMetrics.Create(() => queue.Pending);
        var log = new FakeLogger();
        using var receiving = new InProcessReceiver(_scratch.Path, queue, metrics, allowedUids: [Root], log);

        receiving.Send("from root");
        var nobody = await NobodySender.SendAsync(receiving.Socket.Path, "from nobody");
        receiving.WaitUntilHandled(2);
        receiving.Stop();

        TestMetrics.NonZero(metrics.Dropped).Should().Equal(new Dictionary<string, long> { [Reasons.SenderNotAllowed] = 1 });
        TestMetrics.Value(metrics.SocketDropped).Should().Be(0, "a refused sender is not a full queue");
        var ledger = TestMetrics.Ledger(metrics, queue.Pending);
        ledger.Should().Be(new Ledger(Received: 2, Delivered: 0, DeadLettered: 0, Dropped: 1, InFlight: 1));
        ledger.AddsUp.Should().BeTrue();
        ReceiverTests.Drain(queue).Should().Equal("from root");
        var warning = log.Collector.GetSnapshot().Should().ContainSingle().Subject;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Contain($"from uid {Nobody} (pid {nobody})").And.Contain("refused 1 datagram(s)");
    }

    [Fact]
    public async Task The_list_is_what_counts_not_root_when_nobody_is_allowed_roots_own_datagram_is_refused()
    {
        using var queue = new LineQueue(1 << 20);
        var metrics = TestMetrics.Create(() => queue.Pending);
        var log = new FakeLogger();
        using var receiving = new InProcessReceiver(_scratch.Path, queue, metrics, allowedUids: [Nobody], log);

        await NobodySender.SendAsync(receiving.Socket.Path, "from nobody");
        receiving.Send("from root");
        receiving.WaitUntilHandled(2);
        receiving.Stop();

        ReceiverTests.Drain(queue).Should().ContainSingle().Which.Should().EndWith("from nobody");
        TestMetrics.Value(metrics.Dropped, Reasons.SenderNotAllowed).Should().Be(1);
        receiving.Receiver.Published.Should().Be(1);
        log.Collector.GetSnapshot().Should().ContainSingle().Which.Message.Should().Contain($"from uid {Root} (pid {Environment.ProcessId})");
    }

    [Fact]
    public void The_socket_asks_for_credentials_only_when_the_key_is_set()
    {
        using var queue = new LineQueue(1 << 20);
        var metrics = TestMetrics.Create(() => queue.Pending);
        using (var checking = new InProcessReceiver(_scratch.Path, queue, metrics, allowedUids: [Root]))
        {
            PassCred(checking.Socket).Should().Be(1);
            checking.Socket.AllowedSenders!.Uids.Should().Equal(Root);
        }

        using var open = new InProcessReceiver(_scratch.Path, queue, metrics);
        PassCred(open.Socket).Should().Be(0, "without socket.allowed_uids the kernel attaches nothing and nothing is read");
        open.Socket.AllowedSenders.Should().BeNull();
        open.Send("anyone");
        open.WaitUntilHandled(1);
        open.Receiver.Published.Should().Be(1);
    }

    public void Dispose() => _scratch.Dispose();

    private static int PassCred(ListeningSocket socket)
    {
        var value = new byte[4];
        socket.Socket.GetRawSocketOption(SolSocket, SoPassCred, value);
        return BitConverter.ToInt32(value);
    }
}
