using System.Text.RegularExpressions;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Loading;

/// <summary>Reads a field's <c>source</c>: <c>%item</c>, <c>request:Header</c>, <c>response:Header</c> or <c>var(txn.name)</c>.</summary>
public static partial class FieldSourceParser
{
    public static FieldSource? Parse(string text, SourceLocation at, DiagnosticBag bag)
    {
        if (text.StartsWith('%'))
        {
            if (HaproxyLogItem.Known.TryGetValue(text, out var item))
            {
                return new FieldSource.LogItem(item);
            }

            bag.Error(at, $"'{text}' is not a HAProxy log item this tool knows", Suggestion.DidYouMean(text, HaproxyLogItem.Known.Keys));
            return null;
        }

        foreach (var direction in (ReadOnlySpan<CaptureDirection>)[CaptureDirection.Request, CaptureDirection.Response])
        {
            var prefix = CaptureDirections.Spelling(direction) + ":";
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return new FieldSource.Capture(direction, text[prefix.Length..]);
            }
        }

        var variable = VariablePattern().Match(text);
        if (variable.Success)
        {
            return new FieldSource.Variable(variable.Groups[1].Value);
        }

        bag.Error(at, $"source '{text}' is not understood", "write a log item ('%ci'), a capture ('request:User-Agent', 'response:Content-Type') or a variable ('var(txn.tls)')");
        return null;
    }

    public static string Format(FieldSource source) => source switch
    {
        FieldSource.LogItem l => l.Item.Code,
        FieldSource.Capture c => $"{CaptureDirections.Spelling(c.Direction)}:{c.Header}",
        FieldSource.Variable v => $"var({v.Name})",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    [GeneratedRegex(@"^var\(((?:txn|sess|req|res|proc)\.[A-Za-z0-9_.]+)\)$")]
    private static partial Regex VariablePattern();
}
