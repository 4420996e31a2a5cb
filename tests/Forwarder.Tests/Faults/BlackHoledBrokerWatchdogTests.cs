using System.Net;
using System.Text;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>
/// A black-holed broker: connected, up, never answering (an RTT longer than any test). Unlike a broker that is
/// down (<see cref="SystemdTests"/>), nothing fails; only the absence of progress shows the pipeline is stuck.
/// </summary>
public sealed class BlackHoledBrokerWatchdogTests
{
    [Fact]
    public async Task A_black_holed_broker_stops_the_watchdog_and_healthz_only_once_lines_are_pending()
    {
        using var scratch = new TempDirectory();
        using var notify = new UnixDatagramReceiver(scratch.File("notify.sock"));
        await using var run = await EndToEnd.StartAsync(RepoPaths.Schema, withHaproxy: false, editConfig: FaultConfig.StallTimeout("3s"), daemonEnvironment: new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.Path,
            ["WATCHDOG_USEC"] = "400000",
        });
        await Ping(notify, "READY=1");

        run.Cluster.SetRtt(1, TimeSpan.FromMinutes(10));

        // Idle with a black hole: nothing is pending, so nothing is stuck. Past stall_timeout the daemon still pings.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Drain(notify);
        await Ping(notify, "WATCHDOG=1");
        (await HealthStatus(run.Forwarder)).Should().Be(HttpStatusCode.OK, "an idle daemon is healthy whatever the broker does");

        using (var sender = new DatagramSender(run.SocketPath))
        {
            sender.Send(Lines.Request(run.Fingerprint, 1));
        }

        (await Until.TrueAsync(async () => await HealthStatus(run.Forwarder) == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(40)))
            .Should().BeTrue("a pending line that never settles is a stall");
        (await run.Forwarder.GetAsync("healthz")).Should().Contain("1 lines pending and none delivered or dead-lettered");

        // A ping decided just before the stall may still be on its way: let two intervals pass, drain, then listen.
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        Drain(notify);
        var silent = async () => await notify.ReceiveAsync(TimeSpan.FromSeconds(1.5));
        await silent.Should().ThrowAsync<OperationCanceledException>("a stuck pipeline must not feed the watchdog, so systemd restarts it");

        run.Cluster.SetRtt(1, TimeSpan.Zero);
        (await Until.TrueAsync(async () => await run.CountersAsync() is { Delivered: 1, InFlight: 0 }, TimeSpan.FromSeconds(60))).Should().BeTrue(run.Forwarder.Log);
        await Ping(notify, "WATCHDOG=1");
        (await HealthStatus(run.Forwarder)).Should().Be(HttpStatusCode.OK);
    }

    private static async Task Ping(UnixDatagramReceiver notify, string state)
    {
        var received = await notify.ReceiveMatchingAsync(d => Encoding.UTF8.GetString(d).StartsWith(state, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Encoding.UTF8.GetString(received).Should().StartWith(state);
    }

    private static async Task<HttpStatusCode> HealthStatus(ForwarderProcess forwarder)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(forwarder.Monitoring, "healthz"));
        return response.StatusCode;
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
