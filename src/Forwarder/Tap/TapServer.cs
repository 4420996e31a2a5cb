using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HaproxyKafka.Forwarder.Tap;

/// <summary>
/// Serves <c>haproxykafka tap</c> on a unix stream socket only its owner can open (mode 0600: tapped lines carry
/// client IPs and headers, so they are not on the network-facing monitoring port). A client sends its
/// <see cref="TapFilter"/> as one JSON line and reads one JSON line per tapped line, plus a <c>skipped</c> line each
/// second in which lines were filtered or limited, which also tells a gone client from a quiet one.
/// After a handover to a successor (SIGUSR2) the path is the successor's: this process then neither unlinks it nor
/// closes its listener (.NET unlinks a path it bound when the socket is disposed); process exit closes it.
/// </summary>
internal sealed partial class TapServer(string path, TapHub hub, Func<bool> handedOver, ILogger logger) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _accepting = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Binds once the pipeline has its socket, so a start-up problem is reported about the datagram socket first.
    /// A tap that cannot listen is a warning: it is a debugging aid, never a reason not to forward.
    /// </summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (path.Length == 0)
        {
            return Task.CompletedTask;
        }

        try
        {
            File.Delete(path);
            _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            _listener.Listen(4);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException)
        {
            Log.CannotListen(logger, path, e.Message);
            _listener?.Dispose();
            _listener = null;
            return Task.CompletedTask;
        }

        _accepting = AcceptAsync(_listener, _stopping.Token);
        Log.Listening(logger, path);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _accepting.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        if (_listener is not null && !handedOver())
        {
            _listener.Dispose();
            File.Delete(path);
        }
    }

    public void Dispose()
    {
        if (!handedOver())
        {
            _listener?.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(Socket listener, CancellationToken stopping)
    {
        var clients = new List<Task>();
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            clients.RemoveAll(t => t.IsCompleted);
            clients.Add(ServeAsync(client, stopping));
        }

        await Task.WhenAll(clients);
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        TapFilter filter;
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            var request = await reader.ReadLineAsync(stopping).AsTask().WaitAsync(TimeSpan.FromSeconds(5), stopping) ?? string.Empty;
            filter = TapFilter.Parse(request);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or TimeoutException or IOException)
        {
            await TryWriteAsync(stream, Line(json => json.WriteString("error", $"bad tap request: {e.Message}")), stopping);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var subscription = hub.Subscribe(filter);
        Log.Tapping(logger, filter.ToJson());
        try
        {
            await WriteAsync(stream, Line(json => json.WriteString("tapping", filter.ToJson())), stopping);
            await PumpAsync(stream, subscription, stopping);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the daemon stops: either ends this tap, nothing else.
        }
        finally
        {
            hub.Unsubscribe(subscription);
            Log.Untapped(logger);
        }
    }

    private async Task PumpAsync(Stream stream, TapSubscription subscription, CancellationToken stopping)
    {
        var filter = subscription.Filter;
        var counters = hub.Counters;
        var window = Environment.TickCount64;
        var sentInWindow = 0;
        long filtered = 0, limited = 0;
        while (true)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            tick.CancelAfter(TimeSpan.FromSeconds(1));
            TapEvent? tapped = null;
            try
            {
                if (!await subscription.Events.WaitToReadAsync(tick.Token))
                {
                    return;
                }

                subscription.Events.TryRead(out tapped);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
            }

            if (Environment.TickCount64 - window >= 1000)
            {
                // Once a second: say what was skipped, and find out by writing whether the client is still there.
                await WriteAsync(stream, Line(json =>
                {
                    json.WriteStartObject("skipped");
                    json.WriteNumber("filtered", filtered);
                    json.WriteNumber("rate_limited", limited);
                    json.WriteEndObject();
                }), stopping);
                window = Environment.TickCount64;
                sentInWindow = 0;
                filtered = limited = 0;
            }

            if (tapped is null)
            {
                continue;
            }

            if (!filter.Matches(tapped))
            {
                filtered++;
                counters.Filtered.Add();
                continue;
            }

            if (sentInWindow >= filter.Rate)
            {
                limited++;
                counters.RateLimited.Add();
                continue;
            }

            sentInWindow++;
            await WriteAsync(stream, Describe(tapped), stopping);
            counters.Sent.Add();
        }
    }

    private static byte[] Describe(TapEvent tapped) => Line(json =>
    {
        json.WriteString("kind", TapFilter.Name(tapped.Kind));
        if (tapped.Reason is not null)
        {
            json.WriteString("reason", tapped.Reason);
            json.WriteString("description", tapped.Description);
        }

        // The datagram as text: invalid UTF-8 shows as U+FFFD, which is how the message carries it too.
        json.WriteString("raw", Encoding.UTF8.GetString(tapped.Raw).TrimEnd('\n'));
        if (tapped.Message is not null)
        {
            json.WritePropertyName("message");
            json.WriteRawValue(tapped.Message, skipInputValidation: true);
        }
    });

    private static byte[] Line(Action<Utf8JsonWriter> body)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static async Task WriteAsync(Stream stream, byte[] line, CancellationToken stopping)
    {
        await stream.WriteAsync(line, stopping);
        await stream.FlushAsync(stopping);
    }

    private static async Task TryWriteAsync(Stream stream, byte[] line, CancellationToken stopping)
    {
        try
        {
            await WriteAsync(stream, line, stopping);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "tap: cannot listen on {Path} ({Reason}); haproxykafka tap is off, forwarding is not affected")]
        public static partial void CannotListen(ILogger logger, string path, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "tap: listening on {Path} (haproxykafka tap)")]
        public static partial void Listening(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Information, Message = "tap: a client started tapping with {Filter}")]
        public static partial void Tapping(ILogger logger, string filter);

        [LoggerMessage(Level = LogLevel.Information, Message = "tap: a client stopped tapping")]
        public static partial void Untapped(ILogger logger);
    }
}
