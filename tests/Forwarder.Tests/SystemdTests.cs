using System.Text;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests;

/// <summary>sd_notify as systemd sees it: a socket the test owns stands in for $NOTIFY_SOCKET.</summary>
public class SystemdTests
{
    [Fact]
    public async Task Ready_then_watchdog_only_while_progressing_then_stopping()
    {
        using var scratch = new TempDirectory();
        using var notify = new UnixDatagramReceiver(scratch.File("notify.sock"));
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, daemonEnvironment: new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = "400000",
        });

        (await Next(notify)).Should().StartWith("READY=1");
        (await Next(notify)).Should().Be("WATCHDOG=1", "idle with nothing pending is healthy");

        // Kafka down and lines pending: after stall_timeout (10s in the harness config) the pings stop.
        run.Cluster.SetBrokerDown(1, down: true);
        using (var sender = new DatagramSender(run.SocketPath))
        {
            sender.Send(Lines.Request(run.Fingerprint, 1));
        }

        // Wait for the daemon's own verdict rather than for a fixed 11 s: on a loaded machine the line may reach the
        // daemon late, and a fixed wait then races the stall timeout.
        (await StallReported(run.Forwarder, TimeSpan.FromSeconds(40))).Should().BeTrue("with Kafka down the pending line stalls");

        // A ping the watchdog decided just before the stall may still be on its way: let two intervals pass, drain.
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        Drain(notify);
        var silent = async () => await notify.ReceiveAsync(TimeSpan.FromSeconds(1.5));
        await silent.Should().ThrowAsync<OperationCanceledException>("a stuck pipeline must not feed the watchdog");
        (await run.Forwarder.GetAsync("healthz")).Should().Contain("none delivered or dead-lettered");

        run.Cluster.SetBrokerDown(1, down: false);
        (await NextMatching(notify, "WATCHDOG=1", TimeSpan.FromSeconds(20))).Should().BeTrue("progress resumes the pings");

        await run.Forwarder.TerminateAsync(TimeSpan.FromSeconds(30));
        (await NextMatching(notify, "STOPPING=1", TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    private static async Task<bool> StallReported(ForwarderProcess forwarder, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await forwarder.GetAsync("healthz")).Contains("none delivered or dead-lettered", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static async Task<string> Next(UnixDatagramReceiver notify) =>
        Encoding.UTF8.GetString(await notify.ReceiveAsync(TimeSpan.FromSeconds(10)));

    private static async Task<bool> NextMatching(UnixDatagramReceiver notify, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await Next(notify)) == state)
                {
                    return true;
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        return false;
    }

    private static void Drain(UnixDatagramReceiver notify)
    {
        while (true)
        {
            try
            {
                notify.ReceiveAsync(TimeSpan.FromMilliseconds(50)).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
