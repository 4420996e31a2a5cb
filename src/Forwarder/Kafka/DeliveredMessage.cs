namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>What the sink is told about a message once librdkafka has decided its fate.</summary>
internal readonly record struct DeliveryOutcome(bool Delivered, string Topic, byte[] Value, string? Error, bool IsDeadLetter, double LatencySeconds);
