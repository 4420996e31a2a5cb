using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>
/// One entry of <c>socket.allowed_uids</c>: a uid, or a user name (<see cref="Uid"/> null) that the daemon resolves
/// when it starts. The loader leaves names alone because the conformance checker reads the same file on machines
/// where the user need not exist.
/// </summary>
public sealed record AllowedSender(string Written, uint? Uid, SourceLocation At);
