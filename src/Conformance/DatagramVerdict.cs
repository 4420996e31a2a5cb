using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Conformance;

/// <summary>What the checker says about one datagram (see <see cref="DatagramJudge"/>).</summary>
/// <param name="Kind">What the forwarder takes the line for.</param>
/// <param name="Rejection">Why the forwarder would not map it; <see cref="Rejection.None"/> when it would.</param>
/// <param name="Problem">Null when the line conforms: a request mapped as the schema intends, or a notice.</param>
/// <param name="MappedWithoutFingerprint">
/// The line carries no fingerprint and was mapped only because the drop-in setting
/// (<c>map_lines_without_fingerprint</c>) allows it: forwarded, but not proven to come from this schema.
/// </param>
public sealed record DatagramVerdict(LineKind Kind, Rejection Rejection, string? Problem, bool MappedWithoutFingerprint = false);
