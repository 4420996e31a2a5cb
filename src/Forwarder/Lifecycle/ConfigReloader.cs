using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Cli;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Metrics;
using HaproxyKafka.Forwarder.Pipeline;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// Reads the config file and its parser table again and, if they load and agree (the same checks as at start), puts a
/// new set of mappers in place (<see cref="ActiveMapping.Publish"/>). The socket, the producer and the threads are not
/// touched; keys that only a restart can apply are named in the log and counted (<see cref="ReloadableKeys"/>). A
/// config or table that fails leaves the last good one running, and says why with the loader's own findings
/// (<c>FILE:LINE:COL: error: ...</c>). One reload at a time; runs off the line path and never blocks it.
/// </summary>
internal sealed partial class ConfigReloader
{
    private readonly ActiveMapping _mapping;
    private readonly ForwarderMetrics _metrics;
    private readonly ILogger _log;
    private readonly LabeledCounter _reloads;
    private readonly LabeledCounter _restartRequired;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastSuccess = DateTimeOffset.UtcNow;
    private bool _lastSucceeded = true;

    public ConfigReloader(ForwardingPipeline pipeline, ILoggerFactory logs)
    {
        _mapping = pipeline.Mapping;
        _metrics = pipeline.Metrics;
        _log = logs.CreateLogger("haproxykafka");
        _reloads = _metrics.AddLabeledCounter("config_reloads_total", "SIGHUP reloads of the config and parser table by result (failure: the last good ones keep running).",
            "result", [ReloadOutcome.Success, ReloadOutcome.Failure]);
        _restartRequired = _metrics.AddLabeledCounter("config_reload_restart_required_total", "Keys a SIGHUP reload found changed but cannot apply in place (each needs a restart), by key.",
            "key", ReloadableKeys.RestartOnly.Select(k => k.Name));
        _metrics.AddGauge("config_last_reload_successful", "1 when the last SIGHUP reload succeeded (or none was asked for since start), 0 when it was refused.", () => Volatile.Read(ref _lastSucceeded) ? 1 : 0);
        _metrics.AddGauge("config_last_reload_success_timestamp_seconds", "Unix time of the last successful SIGHUP reload (the start counts as one).", () => LastSuccess.ToUnixTimeMilliseconds() / 1000.0);
    }

    private DateTimeOffset LastSuccess
    {
        get
        {
            lock (_gate)
            {
                return _lastSuccess;
            }
        }
    }

    public ReloadOutcome Reload()
    {
        lock (_gate)
        {
            ReloadOutcome outcome;
            try
            {
                outcome = Attempt();
            }
            catch (Exception e)
            {
                // A loader bug must not cost the running config: refused and counted like any other failure.
                var running = _mapping.Current;
                Log.Unexpected(_log, e);
                outcome = Refused(running, [$"{running.Config.File}: error: the reload failed unexpectedly: {e.GetType().Name}: {e.Message}"]);
            }

            _mapping.Record(outcome);
            _reloads.For(outcome.Result).Add();
            Volatile.Write(ref _lastSucceeded, outcome.Succeeded);
            if (outcome.Succeeded)
            {
                _lastSuccess = outcome.At;
            }

            return outcome;
        }
    }

    private ReloadOutcome Attempt()
    {
        var running = _mapping.Current;
        var file = running.Config.File;
        Log.Reloading(_log, file);
        var errors = new List<string>();
        var loaded = StartupChecks.Load(file, (severity, finding) =>
        {
            if (severity == Severity.Error)
            {
                errors.Add(finding);
                Log.Finding(_log, finding);
            }
            else
            {
                Log.Warning(_log, finding);
            }
        });
        if (loaded is not var (next, table))
        {
            return Refused(running, errors.Count > 0 ? errors : [$"{file}: error: the config does not load"]);
        }

        // The start-up checks passed on the file as written; the config that will run keeps the restart-only keys'
        // running values (e.g. the old kafka.topic), so it is checked against the new table too.
        var applied = ReloadableKeys.Apply(running.Config, next);
        var bag = new DiagnosticBag();
        ForwarderConfigChecks.AgainstTable(applied, table, bag);
        var mismatches = bag.Sorted().Where(d => d.Severity == Severity.Error).Select(d => $"{d} (with the running values of the keys that need a restart)").ToList();
        if (mismatches.Count > 0)
        {
            mismatches.ForEach(m => Log.Finding(_log, m));
            return Refused(running, mismatches);
        }

        MappingGeneration generation;
        try
        {
            generation = _mapping.Build(applied, table);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            // The loader accepted the table, so this is a table the mapper cannot compile: refused like any other.
            var why = $"{table.File}: error: the parser table cannot be used: {e.Message}";
            Log.Finding(_log, why);
            return Refused(running, [why]);
        }

        _mapping.Publish(generation);
        var restart = ReloadableKeys.NeedingRestart(running.Config, next);
        foreach (var key in restart)
        {
            _restartRequired.For(key).Add();
            Log.NeedsRestart(_log, key, file);
        }

        if (table.Fingerprint != running.Table.Fingerprint)
        {
            _metrics.ParserTableReplaced(table.Fingerprint);
        }

        Log.Reloaded(_log, file, table.File, table.Fingerprint, running.Table.Fingerprint, restart.Count);
        return new ReloadOutcome(true, DateTimeOffset.UtcNow, table.Fingerprint, [], restart);
    }

    private ReloadOutcome Refused(MappingGeneration running, IReadOnlyList<string> errors)
    {
        Log.Refused(_log, running.Config.File, errors.Count, running.Table.Fingerprint);
        return new ReloadOutcome(false, DateTimeOffset.UtcNow, running.Table.Fingerprint, errors, []);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP: reloading {File} and its parser table")]
        public static partial void Reloading(ILogger logger, string file);

        [LoggerMessage(Level = LogLevel.Error, Message = "reload: {Finding}")]
        public static partial void Finding(ILogger logger, string finding);

        [LoggerMessage(Level = LogLevel.Warning, Message = "reload: {Finding}")]
        public static partial void Warning(ILogger logger, string finding);

        [LoggerMessage(Level = LogLevel.Error, Message = "reload: unexpected failure")]
        public static partial void Unexpected(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "reload of {File} failed ({Errors} errors above); still running the last good config and parser table {Fingerprint}")]
        public static partial void Refused(ILogger logger, string file, int errors, string fingerprint);

        [LoggerMessage(Level = LogLevel.Warning, Message = "reload: '{Key}' changed in {File} but needs a restart to take effect (systemctl reload or restart); it keeps its running value until then")]
        public static partial void NeedsRestart(ILogger logger, string key, string file);

        [LoggerMessage(Level = LogLevel.Information, Message = "reloaded {File}: parser table {Table} ({Fingerprint}, was {Previous}) maps every run of lines taken from now on; {Restart} changed keys need a restart")]
        public static partial void Reloaded(ILogger logger, string file, string table, string fingerprint, string previous, int restart);
    }
}
