using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace HaproxyKafka.Forwarder.Tap;

/// <summary>
/// What a tap client asked to see: kinds, a dead-letter reason, a substring of the raw datagram, conditions on the
/// message's fields, and at most <see cref="Rate"/> lines a second. Sent by the client as one JSON line.
/// </summary>
internal sealed record TapFilter(ImmutableArray<TapKind> Kinds, string? Reason, string? Grep, ImmutableArray<TapWhere> Where, int Rate)
{
    public const int DefaultRate = 10;

    public const int MaxRate = 1000;

    private static readonly byte[] NoNeedle = [];

    public byte[] GrepBytes { get; } = Grep is null ? NoNeedle : Encoding.UTF8.GetBytes(Grep);

    public bool Wants(TapKind kind) => Kinds.IsEmpty || Kinds.Contains(kind);

    /// <summary>The worker-thread check: kind, reason, grep and the byte pre-check of every condition. No allocation.</summary>
    public bool MayMatch(TapKind kind, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> message, string? reason)
    {
        if (!Wants(kind) || (Reason is not null && Reason != reason) || (GrepBytes.Length > 0 && raw.IndexOf(GrepBytes) < 0))
        {
            return false;
        }

        if (Where.IsEmpty)
        {
            return true;
        }

        if (kind != TapKind.Message)
        {
            return false;
        }

        foreach (var where in Where)
        {
            if (!where.MayMatch(message))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The exact check, off the worker threads.</summary>
    public bool Matches(TapEvent tapped)
    {
        if (Where.IsEmpty)
        {
            return true;
        }

        using var document = JsonDocument.Parse(tapped.Message);
        return Where.All(w => w.Matches(document.RootElement));
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("kinds");
            foreach (var kind in Kinds)
            {
                json.WriteStringValue(Name(kind));
            }

            json.WriteEndArray();
            if (Reason is not null)
            {
                json.WriteString("reason", Reason);
            }

            if (Grep is not null)
            {
                json.WriteString("grep", Grep);
            }

            json.WriteStartArray("where");
            foreach (var where in Where)
            {
                json.WriteStringValue(where.ToString());
            }

            json.WriteEndArray();
            json.WriteNumber("rate", Rate);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a client's request line; anything unusable is an error message for the client.</summary>
    public static TapFilter Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var kinds = root.TryGetProperty("kinds", out var k) ? k.EnumerateArray().Select(e => ParseKind(e.GetString())).ToImmutableArray() : [];
        var where = root.TryGetProperty("where", out var w)
            ? w.EnumerateArray().Select(e => TapWhere.TryParse(e.GetString() ?? string.Empty, out var parsed) ? parsed : throw new FormatException($"'{e.GetString()}' is not FIELD=VALUE or FIELD~VALUE")).ToImmutableArray()
            : [];
        var rate = root.TryGetProperty("rate", out var r) ? r.GetInt32() : DefaultRate;
        if (rate is < 1 or > MaxRate)
        {
            throw new FormatException($"rate {rate} is outside 1..{MaxRate} lines per second");
        }

        return new TapFilter(kinds, Text(root, "reason"), Text(root, "grep"), where, rate);
    }

    public static string Name(TapKind kind) => kind switch
    {
        TapKind.Message => "message",
        TapKind.DeadLetter => "dead_letter",
        _ => "notice",
    };

    public static TapKind ParseKind(string? name) => name switch
    {
        "message" => TapKind.Message,
        "dead_letter" => TapKind.DeadLetter,
        "notice" => TapKind.Notice,
        _ => throw new FormatException($"'{name}' is not a kind; use message, dead_letter or notice"),
    };

    private static string? Text(JsonElement root, string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
}
