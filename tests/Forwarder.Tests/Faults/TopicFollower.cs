using System.Diagnostics;
using System.Text.Json;
using System.Text.Unicode;

namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>
/// kcat reading a topic while it is written (the mock broker keeps only 5 MiB per partition, so a long run must be
/// read as it goes), checking each message as it arrives: valid UTF-8 and one well-formed JSON object. Messages are
/// taken as kcat's <c>%S:%s</c> (length, colon, raw bytes), so a message with any byte in it is framed exactly.
/// </summary>
internal sealed class TopicFollower : IAsyncDisposable
{
    private readonly Process _kcat;
    private readonly Task _reading;
    private readonly List<string> _invalid = [];
    private long _messages;

    private TopicFollower(Process kcat)
    {
        _kcat = kcat;
        _reading = Task.Run(() => Read(kcat.StandardOutput.BaseStream));
    }

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>The first few messages that were not valid UTF-8 JSON objects, with why.</summary>
    public IReadOnlyList<string> Invalid
    {
        get
        {
            lock (_invalid)
            {
                return [.. _invalid];
            }
        }
    }

    public int InvalidCount { get; private set; }

    public static TopicFollower Start(string brokers, string topic)
    {
        var info = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-C", "-b", brokers, "-t", topic, "-o", "beginning", "-u", "-q", "-X", "fetch.wait.max.ms=10", "-f", "%S:%s" })
        {
            info.ArgumentList.Add(argument);
        }

        var kcat = Process.Start(info)!;
        kcat.ErrorDataReceived += (_, _) => { };
        kcat.BeginErrorReadLine();
        return new TopicFollower(kcat);
    }

    public async Task<bool> WaitForAsync(long messages, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Messages < messages && DateTime.UtcNow < deadline && !_reading.IsCompleted)
        {
            await Task.Delay(100);
        }

        return Messages >= messages;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_kcat.HasExited)
        {
            _kcat.Kill();
        }

        await _kcat.WaitForExitAsync();
        await _reading;
        _kcat.Dispose();
    }

    private void Read(Stream output)
    {
        using var buffered = new BufferedStream(output, 1 << 16);
        var value = new byte[1 << 20];
        while (ReadLength(buffered) is { } length)
        {
            if (length < 0)
            {
                Check([], isNull: true);
                continue;
            }

            if (length > value.Length)
            {
                value = new byte[length];
            }

            buffered.ReadExactly(value, 0, length);
            Check(value.AsSpan(0, length), isNull: false);
        }
    }

    /// <summary>The decimal length before the colon; null at the end of the stream.</summary>
    private static int? ReadLength(Stream stream)
    {
        var length = 0;
        var negative = false;
        while (true)
        {
            var b = stream.ReadByte();
            switch (b)
            {
                case -1:
                    return null;
                case ':':
                    return negative ? -length : length;
                case '-':
                    negative = true;
                    break;
                default:
                    length = (length * 10) + (b - '0');
                    break;
            }
        }
    }

    private void Check(ReadOnlySpan<byte> value, bool isNull)
    {
        var problem = isNull ? "a null value"
            : !Utf8.IsValid(value) ? "not valid UTF-8"
            : JsonProblem(value);
        if (problem is not null)
        {
            lock (_invalid)
            {
                InvalidCount++;
                if (_invalid.Count < 5)
                {
                    _invalid.Add($"{problem}: {Convert.ToBase64String(value)}");
                }
            }
        }

        Interlocked.Increment(ref _messages);
    }

    private static string? JsonProblem(ReadOnlySpan<byte> value)
    {
        try
        {
            using var document = JsonDocument.Parse(value.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object ? null : $"a JSON {document.RootElement.ValueKind}, not an object";
        }
        catch (JsonException e)
        {
            return $"not JSON ({e.Message})";
        }
    }
}
