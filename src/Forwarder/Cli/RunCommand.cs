using System.Runtime.InteropServices;
using HaproxyKafka.Forwarder.Systemd;

namespace HaproxyKafka.Forwarder.Cli;

/// <summary><c>haproxykafka -c FILE</c>: start, run until SIGTERM or SIGINT, drain, exit 0.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(string configPath, bool checkOnly, bool verbose, TextWriter err)
    {
        if (StartupChecks.Load(configPath, err) is not var (config, table))
        {
            err.WriteLine($"haproxykafka: {configPath}: not starting; fix the errors above");
            return ExitCodes.Config;
        }

        if (!Kafka.LibrdkafkaVersion.Check(err)) return ExitCodes.Config;

        if (checkOnly)
        {
            err.WriteLine($"haproxykafka: {configPath}: configuration ok (parser table {table.Fingerprint}, topic {config.Kafka.Topic})");
            return ExitCodes.Ok;
        }

        using var logs = Logging.Create(verbose);
        using var systemd = SystemdNotifier.FromEnvironment();
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        ForwarderHost host;
        try
        {
            host = await ForwarderHost.StartAsync(config, table, logs, systemd, TimeZoneInfo.Local);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or Confluent.Kafka.KafkaException)
        {
            err.WriteLine($"haproxykafka: cannot start: {e.Message}");
            return ExitCodes.Config;
        }

        await using (host)
        {
            await stop.Task;
            await host.StopAsync();
        }

        return ExitCodes.Ok;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
