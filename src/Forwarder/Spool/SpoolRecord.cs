namespace HaproxyKafka.Forwarder.Spool;

/// <summary>One message as the spool keeps it: the JSON value bytes exactly as they would have been produced, the topic, and when the line was received.</summary>
internal sealed record SpoolRecord(string Topic, DateTimeOffset ReceivedAt, byte[] Value);

/// <summary>A place in the spool: a segment's number and a byte offset in it.</summary>
internal readonly record struct SpoolPosition(long Segment, long Offset) : IComparable<SpoolPosition>
{
    public int CompareTo(SpoolPosition other) =>
        Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);
}

/// <summary>A record read for replay, with the position just past it (what acknowledging it moves the cursor to).</summary>
internal sealed record SpoolEntry(SpoolRecord Record, SpoolPosition End);
