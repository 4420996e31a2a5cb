namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>What the last SIGHUP reload did, for <c>/debug/state</c>.</summary>
/// <param name="Succeeded">True when the new config and table were validated and published.</param>
/// <param name="At">When the reload finished.</param>
/// <param name="Fingerprint">The parser table's fingerprint running after the reload (the old one after a failure).</param>
/// <param name="Errors">Why a failed reload was refused, one finding per entry (<c>FILE:LINE:COL: error: ...</c>).</param>
/// <param name="RestartRequired">Changed keys the reload could not apply (<c>socket.path</c>, ...): they need a restart.</param>
internal sealed record ReloadOutcome(bool Succeeded, DateTimeOffset At, string Fingerprint, IReadOnlyList<string> Errors, IReadOnlyList<string> RestartRequired)
{
    public const string Success = "success";
    public const string Failure = "failure";

    public string Result => Succeeded ? Success : Failure;
}
