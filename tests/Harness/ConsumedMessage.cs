namespace HaproxyKafka.Harness;

/// <summary>One message as it sits on the broker.</summary>
public sealed record ConsumedMessage(int Partition, long Offset, byte[] Value, DateTime Timestamp, IReadOnlyList<KeyValuePair<string, byte[]>> Headers)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Value);
}
