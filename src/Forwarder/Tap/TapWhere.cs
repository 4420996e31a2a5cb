using System.Text;
using System.Text.Json;

namespace HaproxyKafka.Forwarder.Tap;

/// <summary>
/// One <c>--where</c> condition on a message's JSON: <c>field=value</c> (equals) or <c>field~value</c> (contains).
/// Only messages have fields, so a line of another kind never matches one.
/// </summary>
internal sealed record TapWhere(string Field, bool Contains, string Value)
{
    /// <summary>
    /// The value as it appears inside the JSON text, for a byte search before any parsing; null when the JSON
    /// writer would escape it (quotes, backslashes, control characters), where only the exact check can tell.
    /// </summary>
    public byte[]? Needle { get; } = Value.Any(c => c is '"' or '\\' || char.IsControl(c)) ? null : Encoding.UTF8.GetBytes(Value);

    public static bool TryParse(string text, out TapWhere where)
    {
        var at = text.IndexOfAny(['=', '~']);
        where = at > 0 ? new TapWhere(text[..at], text[at] == '~', text[(at + 1)..]) : null!;
        return at > 0;
    }

    /// <summary>A cheap necessary condition on the raw JSON bytes, safe on the worker thread.</summary>
    public bool MayMatch(ReadOnlySpan<byte> message) => Needle is null || message.IndexOf(Needle) >= 0;

    public bool Matches(JsonElement message)
    {
        if (!message.TryGetProperty(Field, out var value))
        {
            return false;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.GetRawText();
        return Contains ? text.Contains(Value, StringComparison.Ordinal) : text == Value;
    }

    public override string ToString() => $"{Field}{(Contains ? '~' : '=')}{Value}";
}
