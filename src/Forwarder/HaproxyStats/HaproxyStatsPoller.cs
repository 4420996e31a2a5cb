using System.Net.Sockets;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace HaproxyKafka.Forwarder.HaproxyStats;

/// <summary>
/// Reads HAProxy's stats socket every <c>haproxy.stats_interval</c> on a task of its own (never on the receive path)
/// and exports what HAProxy counts beside what the daemon counts: <c>haproxy_dropped_logs_total</c> (HAProxy's
/// <c>DroppedLogs</c>: lines it could not hand to the socket) and <c>haproxy_frontend_requests_total{proxy}</c>
/// (<c>req_tot</c>, one log line per request), so "lines HAProxy logged" against <c>received_lines_total</c> is one
/// query. A missing or refusing socket is counted (<c>haproxy_stats_failures_total</c>, <c>haproxy_stats_up 0</c>)
/// and logged once per change of state, never fatal: the forwarder's job does not depend on it.
/// </summary>
internal sealed partial class HaproxyStatsPoller : BackgroundService
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly HaproxySettings _settings;
    private readonly string _path;
    private readonly ILogger _log;
    private readonly MirroredCounter _dropped;
    private readonly Counter _requests;
    private readonly Dictionary<string, MirroredCounter> _frontends = new(StringComparer.Ordinal);
    private readonly Counter _failures;
    private bool? _up;

    public HaproxyStatsPoller(HaproxySettings settings, ForwarderMetrics metrics, ILoggerFactory logs)
    {
        _settings = settings;
        _path = settings.StatsSocket ?? throw new ArgumentException("no haproxy.stats_socket configured", nameof(settings));
        _log = logs.CreateLogger("haproxykafka");
        _dropped = new MirroredCounter(metrics.AddCounter("haproxy_dropped_logs_total", "Log lines HAProxy could not hand to a logger (its DroppedLogs, e.g. the socket was full), counted while this daemon read its stats socket."));
        _requests = metrics.AddCounter("haproxy_frontend_requests_total", "HTTP requests per HAProxy frontend (its req_tot; one log line each with 'log global'), counted while this daemon read its stats socket.", "proxy");
        _failures = metrics.AddCounter("haproxy_stats_failures_total", "Reads of haproxy.stats_socket that failed (missing, refused, timed out, not HAProxy's answer).");
        metrics.AddGauge("haproxy_stats_up", "1 when the last read of haproxy.stats_socket succeeded.", () => _up == true ? 1 : 0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_settings.StatsInterval);
        do
        {
            await ReadOnceAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ReadOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            var reading = StatsReading.Parse(await StatsSocketClient.QueryAsync(_path, QueryTimeout, stoppingToken));
            Apply(reading);
            if (_up != true)
            {
                Log.Reading(_log, _path, reading.Pid, reading.FrontendRequests.Count);
            }

            _up = true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is SocketException or IOException or FormatException or OperationCanceledException)
        {
            _failures.Inc();
            if (_up != false)
            {
                var why = e is OperationCanceledException ? $"no answer within {QueryTimeout.TotalSeconds:0}s" : e.Message;
                Log.Failed(_log, _path, why);
            }

            _up = false;
        }
    }

    private void Apply(StatsReading reading)
    {
        _dropped.Observe(reading.Pid, reading.DroppedLogs);
        foreach (var (proxy, requests) in reading.FrontendRequests)
        {
            if (!_frontends.TryGetValue(proxy, out var mirror))
            {
                // Frontends are fixed by HAProxy's config: a handful of children, created on first sight.
                mirror = new MirroredCounter(_requests.WithLabels(proxy));
                _frontends[proxy] = mirror;
            }

            mirror.Observe(reading.Pid, requests);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "reading HAProxy's stats socket {Path}: pid {Pid}, {Frontends} frontends")]
        public static partial void Reading(ILogger logger, string path, long pid, int frontends);

        [LoggerMessage(Level = LogLevel.Warning, Message = "cannot read HAProxy's stats socket {Path}: {Why}; haproxy_stats_up is 0 until it answers (logged again only when that changes)")]
        public static partial void Failed(ILogger logger, string path, string why);
    }
}
