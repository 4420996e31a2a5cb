using System.Text;

namespace HaproxyKafka.Schema.Model;

/// <summary>
/// The schema's MSG format: HAProxy log-format text where <c>@{request:NAME}</c> and <c>@{response:NAME}</c> name a
/// captured header. Rendering replaces each reference with that capture's current slot, so the message follows
/// the captures when they are reordered.
/// </summary>
public static class MessageTemplate
{
    public sealed record Reference(CaptureDirection Direction, string Header, int Start, int Length);

    public static IEnumerable<Reference> References(string message)
    {
        var at = 0;
        while ((at = message.IndexOf("@{", at, StringComparison.Ordinal)) >= 0)
        {
            var end = message.IndexOf('}', at);
            if (end < 0)
            {
                yield break;
            }

            var body = message[(at + 2)..end];
            var colon = body.IndexOf(':');
            var direction = colon < 0 ? null : body[..colon] switch
            {
                CaptureDirections.Request => (CaptureDirection?)CaptureDirection.Request,
                CaptureDirections.Response => CaptureDirection.Response,
                _ => null,
            };
            if (direction is not null)
            {
                yield return new Reference(direction.Value, body[(colon + 1)..], at, end - at + 1);
            }

            at = end + 1;
        }
    }

    /// <summary>Unresolved references are left as they are; the validator reports them before anything renders.</summary>
    public static string Render(string message, CaptureSet captures)
    {
        var output = new StringBuilder();
        var copied = 0;
        foreach (var reference in References(message))
        {
            if (captures.Find(reference.Direction, reference.Header) is not { } slot)
            {
                continue;
            }

            output.Append(message, copied, reference.Start - copied).Append("%[").Append(slot.FetchExpression).Append(']');
            copied = reference.Start + reference.Length;
        }

        return output.Append(message, copied, message.Length - copied).ToString();
    }
}
