namespace HaproxyKafka.Forwarder.Tap;

/// <summary>A copy of one tapped line, made on the worker thread only after the cheap filters let it through.</summary>
internal sealed record TapEvent(TapKind Kind, byte[] Raw, byte[]? Message, string? Reason, string? Description);
