using System.Collections.Immutable;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HaproxyKafka.Forwarder.Cli;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Tap;

/// <summary>
/// <c>haproxykafka tap</c>: connects to a running daemon's tap socket and prints a live sample of the lines it
/// handles: the JSON produced, or the reason a line was dead-lettered and the datagram. What the rate limit or the
/// filters skip is said on stderr; the daemon never waits for this client.
/// </summary>
internal static class TapCommand
{
    public sealed record Options(string? Config, string? Socket, ImmutableArray<string> Kinds, string? Reason, string? Grep, ImmutableArray<string> Where, int Rate, int Count, bool Raw, bool Json);

    public static async Task<int> RunAsync(Options options, TextWriter output, TextWriter errors, CancellationToken cancel)
    {
        TapFilter filter;
        try
        {
            var where = options.Where.Select(w => TapWhere.TryParse(w, out var parsed) ? parsed : throw new FormatException($"--where '{w}' is not FIELD=VALUE or FIELD~VALUE")).ToImmutableArray();
            filter = new TapFilter([.. options.Kinds.Select(TapFilter.ParseKind)], options.Reason, options.Grep, where, options.Rate);
            if (options.Rate is < 1 or > TapFilter.MaxRate)
            {
                throw new FormatException($"--rate {options.Rate} is outside 1..{TapFilter.MaxRate}");
            }
        }
        catch (FormatException e)
        {
            await errors.WriteLineAsync($"haproxykafka tap: {e.Message}");
            return ExitCodes.Usage;
        }

        var path = options.Socket ?? SocketOf(options.Config, errors);
        if (path is null)
        {
            return ExitCodes.Config;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel);
        }
        catch (SocketException e)
        {
            await errors.WriteLineAsync($"haproxykafka tap: cannot connect to {path}: {e.Message}; is the daemon running, with monitoring.tap_socket set (and are you its user or root)?");
            return ExitCodes.Unavailable;
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(filter.ToJson() + "\n"), cancel);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var shown = 0;
        try
        {
            while (await reader.ReadLineAsync(cancel) is { } line)
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("error", out var error))
                {
                    await errors.WriteLineAsync($"haproxykafka tap: the daemon refused: {error.GetString()}");
                    return ExitCodes.Usage;
                }

                if (root.TryGetProperty("tapping", out _))
                {
                    continue;
                }

                if (root.TryGetProperty("skipped", out var skipped))
                {
                    var filtered = skipped.GetProperty("filtered").GetInt64();
                    var limited = skipped.GetProperty("rate_limited").GetInt64();
                    if (filtered + limited > 0)
                    {
                        await errors.WriteLineAsync($"# skipped in the last second: {limited} over --rate {filter.Rate}, {filtered} not matching --where");
                    }

                    continue;
                }

                await output.WriteLineAsync(options.Json ? line : Text(root, options.Raw));
                await output.FlushAsync(cancel);
                if (options.Count > 0 && ++shown >= options.Count)
                {
                    return ExitCodes.Ok;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }
        catch (IOException)
        {
        }

        await errors.WriteLineAsync("haproxykafka tap: the daemon closed the connection (stopping?)");
        return ExitCodes.Ok;
    }

    /// <summary>One line per message (its JSON); a dead letter as its reason, description and datagram.</summary>
    private static string Text(JsonElement root, bool raw)
    {
        var kind = root.GetProperty("kind").GetString();
        var datagram = root.GetProperty("raw").GetString();
        return kind switch
        {
            "message" => raw ? $"message {root.GetProperty("message").GetRawText()}\n  raw: {datagram}" : $"message {root.GetProperty("message").GetRawText()}",
            "dead_letter" => $"dead_letter {root.GetProperty("reason").GetString()}: {root.GetProperty("description").GetString()}\n  raw: {datagram}",
            _ => $"notice {datagram}",
        };
    }

    private static string? SocketOf(string? configPath, TextWriter errors)
    {
        if (configPath is null)
        {
            errors.WriteLine("haproxykafka tap: give -c CONFIG (the daemon's config) or --socket PATH");
            return null;
        }

        var loaded = ForwarderConfigLoader.LoadFile(configPath, warnAboutAliasConflicts: false);
        if (loaded.Config is not { } config)
        {
            foreach (var diagnostic in loaded.Diagnostics)
            {
                errors.WriteLine(diagnostic);
            }

            return null;
        }

        if (config.Monitoring.TapSocket(config.Socket.Path) is not { Length: > 0 } path)
        {
            errors.WriteLine($"haproxykafka tap: {configPath} switches the tap off (monitoring.tap_socket is empty)");
            return null;
        }

        return path;
    }
}
