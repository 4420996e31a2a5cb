using System.Text.RegularExpressions;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;

namespace HaproxyKafka.Race.Receivers;

/// <summary>bench/RawReceiver as its own process: the floor every forwarder is compared with.</summary>
public sealed partial class RawFloorReceiver : IRaceReceiver
{
    private readonly LoggedProcess _process;

    private RawFloorReceiver(LoggedProcess process) => _process = process;

    public int Pid => _process.Id;

    public static async Task<RawFloorReceiver> StartAsync(RaceSetting setting)
    {
        var receiver = new RawFloorReceiver(LoggedProcess.Start(Path.Combine(AppContext.BaseDirectory, "race-raw-receiver"), [setting.SocketPath]));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!receiver._process.Log.Contains("ready", StringComparison.Ordinal))
        {
            if (receiver._process.HasExited || DateTime.UtcNow > deadline)
            {
                await receiver.DisposeAsync();
                throw new InvalidOperationException($"race-raw-receiver did not start:\n{receiver._process.Log}");
            }

            await Task.Delay(50);
        }

        return receiver;
    }

    /// <summary>It has no queue of its own: what the kernel holds is gone within microseconds of the last send.</summary>
    public Task WaitUntilDoneAsync(long accepted, TimeSpan timeout) => Task.Delay(500);

    public async Task<ReceiverCounts> StopAsync()
    {
        Signals.Terminate(_process.Id);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(cts.Token);
        var count = Count().Match(_process.Log);
        return new ReceiverCounts(count.Success ? long.Parse(count.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null, null, null);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"received (\d+)")]
    private static partial Regex Count();
}
