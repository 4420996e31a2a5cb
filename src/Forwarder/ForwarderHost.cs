using HaproxyKafka.Contract;
using HaproxyKafka.Forwarder.Cli;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Lifecycle;
using HaproxyKafka.Forwarder.HaproxyStats;
using HaproxyKafka.Forwarder.Monitoring;
using HaproxyKafka.Forwarder.Pipeline;
using HaproxyKafka.Forwarder.Systemd;
using HaproxyKafka.Forwarder.Tap;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HaproxyKafka.Forwarder;

/// <summary>
/// Builds the daemon as one generic host (the ASP.NET Core flavour, whose Kestrel serves the monitoring endpoints);
/// the host owns start-up order, signals, shutdown and disposal.
/// <list type="number">
/// <item><see cref="Build"/> creates the pipeline, which builds the Kafka producer; nothing is opened yet.</item>
/// <item>Start phase: Kestrel listens on <c>monitoring.server_bind</c> (the only <c>StartAsync</c> with work).</item>
/// <item>Started phase, in registration order: the pipeline binds the socket and starts workers and the receive
/// thread; <see cref="SystemdReadiness"/> sends READY=1 (or, in a successor, reports to its predecessor);
/// <see cref="ProgressWatchdog"/> starts pinging; <see cref="UpgradeOnSignal"/> takes SIGUSR2 (in the start phase,
/// <see cref="ReloadOnSignal"/> starts taking SIGHUP, which <see cref="HangupSignal"/> held since the process began).</item>
/// <item>SIGTERM or SIGINT (the host's console lifetime): the Stopping phase in reverse order sends STOPPING=1, then
/// drains the pipeline while <c>/metrics</c> still answers; Kestrel stops; the watchdog stops last.</item>
/// <item>Disposal (also after a failed start): the listener's port, the socket file, the producer, the dead-letter
/// file are released by the container, last created first.</item>
/// </list>
/// The lifecycle phases, not registration order relative to Kestrel, guarantee that the listener is up before the
/// socket is bound and still up while the pipeline drains.
/// </summary>
internal static class ForwarderHost
{
    public static WebApplication Build(ForwarderConfig config, ParserTable table, bool verbose, TimeZoneInfo zone, SuccessorCommand successor, HangupSignal hangups)
    {
        // No configuration sources: the daemon reads its YAML and nothing else (no appsettings.json, no DOTNET_ variables).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        Logging.Configure(builder.Logging, verbose);
        ListenAddress.TryParse(config.Monitoring.ServerBind, out var endPoint);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(endPoint));

        // A successor started on SIGUSR2 binds the same port while this process still serves it.
        builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = SharedPort.Bind);
        builder.Services.AddRoutingCore();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        // The drain bounds itself (worker join, flush within kafka.flush_timeout, purge); the host's timeout only
        // limits what watches its token, Kestrel's graceful close, and must not cut in earlier.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = (2 * config.Kafka.FlushTimeout) + TimeSpan.FromSeconds(15));

        builder.Services.AddSingleton(sp => new ForwardingPipeline(config, table, zone, sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        builder.Services.AddSingleton(_ => SystemdNotifier.FromEnvironment());
        builder.Services.AddSingleton(successor);
        builder.Services.AddSingleton(hangups);
        builder.Services.AddSingleton<ConfigReloader>();

        // Started in this order, stopped in reverse.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ForwardingPipeline>());
        builder.Services.AddHostedService<SystemdReadiness>();
        builder.Services.AddHostedService<ProgressWatchdog>();
        builder.Services.AddHostedService<UpgradeOnSignal>();
        builder.Services.AddHostedService<ReloadOnSignal>();
        builder.Services.AddHostedService(sp =>
        {
            // Resolved here, not in the callback: the callback also runs while the container is being disposed.
            var pipeline = sp.GetRequiredService<ForwardingPipeline>();
            return new TapServer(config.Monitoring.TapSocket(config.Socket.Path), pipeline.Tap, () => pipeline.Socket?.HandedOver == true,
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("haproxykafka"));
        });
        if (config.Haproxy.StatsSocket is not null)
        {
            builder.Services.AddHostedService(sp => new HaproxyStatsPoller(config.Haproxy, sp.GetRequiredService<ForwardingPipeline>().Metrics, sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        }

        var app = builder.Build();
        try
        {
            MonitoringEndpoints.Map(app, app.Services.GetRequiredService<ForwardingPipeline>());
            return app;
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }
    }
}
