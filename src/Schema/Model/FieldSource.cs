namespace HaproxyKafka.Schema.Model;

/// <summary>Where HAProxy takes a field's value from.</summary>
public abstract record FieldSource
{
    private FieldSource()
    {
    }

    /// <summary>A log-format item such as <c>%ci</c>.</summary>
    public sealed record LogItem(HaproxyLogItem Item) : FieldSource;

    /// <summary>A captured request or response header, referred to by name; the slot is looked up, never written.</summary>
    public sealed record Capture(CaptureDirection Direction, string Header) : FieldSource;

    /// <summary>A transaction variable set by HAProxy rules, <c>var(txn.name)</c>.</summary>
    public sealed record Variable(string Name) : FieldSource;
}
