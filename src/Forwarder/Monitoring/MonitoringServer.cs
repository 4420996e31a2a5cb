using System.Net;
using System.Text.Json;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Monitoring;

/// <summary>
/// <c>/metrics</c> (Prometheus text), <c>/healthz</c> (progress-based: 200 or 503) and <c>/debug/state</c> (queues,
/// last delivery, effective config with secrets redacted) on <c>monitoring.server_bind</c>, as production shares one
/// listener for metrics and debug.
/// </summary>
internal sealed class MonitoringServer(MonitoringSettings settings, ForwarderHost host, ILoggerFactory logs)
{
    private WebApplication? _app;

    public Uri Address { get; private set; } = new("http://127.0.0.1:0/");

    public async Task StartAsync()
    {
        ListenAddress.TryParse(settings.ServerBind, out var endPoint);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logs);
        builder.WebHost.ConfigureKestrel(k => k.Listen(endPoint));
        _app = builder.Build();
        _app.MapGet("/metrics", () => Results.Text(host.Metrics.Render(), Exposition.ContentType));
        _app.MapGet("/healthz", () =>
        {
            var health = host.Health;
            return Results.Text(health.Reason + "\n", "text/plain", statusCode: health.Healthy ? 200 : 503);
        });
        _app.MapGet("/debug/state", () => Results.Text(DebugState.Render(host), "application/json"));
        await _app.StartAsync();
        var bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = bound is null ? Address : new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
