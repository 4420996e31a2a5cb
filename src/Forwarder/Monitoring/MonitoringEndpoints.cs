using HaproxyKafka.Forwarder.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Prometheus;

namespace HaproxyKafka.Forwarder.Monitoring;

/// <summary>
/// What the host's Kestrel serves on <c>monitoring.server_bind</c> (one listener for metrics and debug, as
/// production has): <c>/metrics</c> (prometheus-net, the daemon's own registry, text format 0.0.4),
/// <c>/healthz</c> (progress-based: 200 or 503), <c>/readyz</c> (200 while the socket is bound and lines are
/// received; the listener is up before that, so this says when lines are accepted) and <c>/debug/state</c>.
/// </summary>
internal static class MonitoringEndpoints
{
    public static void Map(WebApplication app, ForwardingPipeline pipeline)
    {
        // Always the text format promtool checks; OpenMetrics would add nothing the daemon uses (no exemplars).
        app.MapMetrics(settings =>
        {
            settings.Registry = pipeline.Metrics.Registry;
            settings.EnableOpenMetrics = false;
        });
        app.MapGet("/healthz", () =>
        {
            var health = pipeline.Health;
            return Results.Text(health.Reason + "\n", "text/plain", statusCode: health.Healthy ? 200 : 503);
        });
        app.MapGet("/readyz", () => pipeline.Receiving
            ? Results.Text($"ready: receiving on {pipeline.Config.Socket.Path}\n", "text/plain")
            : Results.Text("not receiving: starting or stopping\n", "text/plain", statusCode: 503));
        app.MapGet("/debug/state", () => Results.Text(DebugState.Render(pipeline), "application/json"));
    }

    /// <summary>Where the listener is bound, with a wildcard address replaced by loopback so the URL can be fetched.</summary>
    public static Uri Address(IServer server)
    {
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:0/";
        return new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }
}
