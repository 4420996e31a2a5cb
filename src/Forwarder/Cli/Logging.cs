using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;

namespace HaproxyKafka.Forwarder.Cli;

/// <summary>journald-friendly logs under systemd (priority prefixes), one timestamped line per event elsewhere; all on stderr.</summary>
internal static class Logging
{
    public static void Configure(ILoggingBuilder builder, bool verbose)
    {
        builder.ClearProviders();
        builder.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        builder.AddFilter("Microsoft", LogLevel.Warning);

        // The host logs a start or stop failure with its stack trace; RunCommand reports those itself, in one line.
        builder.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        if (Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null)
        {
            builder.AddSystemdConsole(o => o.IncludeScopes = false);
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }

        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
