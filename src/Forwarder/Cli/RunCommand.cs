using System.Net.Sockets;
using Confluent.Kafka;
using HaproxyKafka.Forwarder.Kafka;
using HaproxyKafka.Forwarder.Lifecycle;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace HaproxyKafka.Forwarder.Cli;

/// <summary><c>haproxykafka -c FILE</c>: check, start, run until SIGTERM or SIGINT (SIGHUP reloads in place), drain, exit 0.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(string configPath, bool checkOnly, bool verbose, IReadOnlyList<string> arguments, TextWriter err)
    {
        // First: SIGHUP's default action ends the process, and a reload may be asked for while the daemon starts.
        using var hangups = HangupSignal.Register();
        if (StartupChecks.Load(configPath, err) is not var (config, table))
        {
            err.WriteLine($"haproxykafka: {configPath}: not starting; fix the errors above");
            return ExitCodes.Config;
        }

        // Before anything starts: the produce path needs symbols an older librdkafka lacks.
        if (!LibrdkafkaVersion.Check(err))
        {
            return ExitCodes.Config;
        }

        if (checkOnly)
        {
            err.WriteLine($"haproxykafka: {configPath}: configuration ok (parser table {table.Fingerprint}, topic {config.Kafka.Topic})");
            return ExitCodes.Ok;
        }

        WebApplication host;
        try
        {
            host = ForwarderHost.Build(config, table, verbose, TimeZoneInfo.Local, SuccessorCommand.ForThisProcess(arguments), hangups);
        }
        catch (KafkaException e)
        {
            return CannotStart(e, err);
        }

        await using (host)
        {
            try
            {
                await host.StartAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException or KafkaException)
            {
                // Disposing the host (leaving this block) closes whatever had started: the listener, the socket file.
                return CannotStart(e, err);
            }
            catch (OperationCanceledException)
            {
                // SIGTERM during start-up: stop what did start, the same way as after it.
                await host.StopAsync();
                return ExitCodes.Ok;
            }

            await host.WaitForShutdownAsync();
        }

        return ExitCodes.Ok;
    }

    private static int CannotStart(Exception e, TextWriter err)
    {
        err.WriteLine($"haproxykafka: cannot start: {e.Message}");
        return ExitCodes.Config;
    }
}
