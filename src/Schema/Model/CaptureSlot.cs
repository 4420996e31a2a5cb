using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Schema.Model;

public enum CaptureDirection
{
    Request,
    Response,
}

/// <summary>
/// How the schema spells a capture direction (<c>captures.request</c>, <c>source: "request:Host"</c>), kept apart
/// from the enum so that what the schema means never depends on a C# member name.
/// </summary>
public static class CaptureDirections
{
    public const string Request = "request";

    public const string Response = "response";

    public static string Spelling(CaptureDirection direction) => direction == CaptureDirection.Request ? Request : Response;
}

/// <summary>
/// One HAProxy capture. <see cref="Slot"/> is the declaration's position within its direction, which is exactly
/// how HAProxy numbers <c>capture.req.hdr(N)</c> / <c>capture.res.hdr(N)</c>; it is never written by hand.
/// <see cref="AfterRules"/> captures a header that earlier http-request/http-response rules set, so it is
/// captured by a rule instead of at header parsing.
/// </summary>
public sealed record CaptureSlot(CaptureDirection Direction, int Slot, string Header, int Len, bool AfterRules, SourceLocation Location)
{
    public string FetchExpression => Direction == CaptureDirection.Request
        ? $"capture.req.hdr({Slot})"
        : $"capture.res.hdr({Slot})";
}

public sealed record CaptureSet(System.Collections.Immutable.ImmutableArray<CaptureSlot> Request, System.Collections.Immutable.ImmutableArray<CaptureSlot> Response)
{
    public IEnumerable<CaptureSlot> All => Request.Concat(Response);

    public CaptureSlot? Find(CaptureDirection direction, string header) =>
        (direction == CaptureDirection.Request ? Request : Response)
            .FirstOrDefault(c => string.Equals(c.Header, header, StringComparison.OrdinalIgnoreCase));
}
