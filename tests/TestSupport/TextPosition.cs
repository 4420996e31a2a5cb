namespace HaproxyKafka.TestSupport;

public static class TextPosition
{
    /// <summary>1-based line of the first occurrence of <paramref name="needle"/>, as diagnostics number lines.</summary>
    public static int LineOf(string text, string needle)
    {
        var index = text.IndexOf(needle, StringComparison.Ordinal);
        if (index < 0)
        {
            throw new ArgumentException($"'{needle}' is not in the text", nameof(needle));
        }

        return text[..index].Count(c => c == '\n') + 1;
    }
}
