using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Validation;

/// <summary>
/// Sizes of the RFC 5424 header plus structured data for a line whose every value is at its maximum length.
/// HAProxy truncates an over-long MSG but, when the SD does not fit <c>len</c>, it empties SD and MSG alike,
/// so the SD is what must fit. <see cref="SdAtMax"/> counts raw values; <see cref="SdWorstCase"/> counts every
/// byte escaped (<c>\"</c> doubles a captured header, <c>#XX</c> triples a request-line byte).
/// </summary>
public sealed record LenBudget(int Header, int SdAtMax, int SdWorstCase)
{
    /// <summary><c>&lt;191&gt;1 </c>, a microsecond timestamp with zone, <c>-</c> host, APP-NAME (RFC max 48), PROCID, <c>- </c>.</summary>
    public const int HeaderBytes = 7 + 32 + 1 + 1 + 1 + 48 + 1 + 10 + 1 + 1 + 1;

    public const int FingerprintLength = 16;

    public int MinimumLen => Header + SdAtMax;

    public int WorstCaseLen => Header + SdWorstCase;

    public static LenBudget Compute(LogSchema schema)
    {
        // "[" + SD-ID + each ` name="value"` + ` schema_fp="…"` + "]"
        var frame = 1 + schema.SdId.Length + 1 + LogSchema.FingerprintParam.Length + 4 + FingerprintLength;
        var raw = frame;
        var worst = frame;
        var uriShared = false;
        foreach (var field in schema.Fields)
        {
            raw += field.SdParam.Length + 4;
            worst += field.SdParam.Length + 4;
            var (max, factor) = ValueBound(schema, field, ref uriShared);
            raw += max;
            worst += max * factor;
        }

        return new LenBudget(HeaderBytes, raw, worst);
    }

    internal static void Check(LogSchema schema, DiagnosticBag bag)
    {
        var budget = Compute(schema);
        var len = schema.Haproxy.Len;
        if (budget.MinimumLen > len)
        {
            bag.Error(schema.Haproxy.LenLocation,
                $"len {len} is too small: a line whose values are at their maximum length needs {budget.MinimumLen} bytes of header and structured data, and HAProxy empties the whole SD of every line that does not fit",
                $"set 'len: {budget.MinimumLen}' or more, or shorten capture lengths");
        }
        else if (budget.WorstCaseLen > len)
        {
            bag.Warning(schema.Haproxy.LenLocation,
                $"len {len} fits every value at its maximum length ({budget.MinimumLen} bytes) but not the worst case with every byte escaped ({budget.WorstCaseLen} bytes); such lines lose their SD",
                $"set 'len: {budget.WorstCaseLen}' to rule it out, or accept the risk");
        }
    }

    private static (int Max, int Factor) ValueBound(LogSchema schema, FieldSpec field, ref bool uriShared)
    {
        switch (field.Source)
        {
            case FieldSource.Capture capture:
                return (schema.Captures.Find(capture.Direction, capture.Header)?.Len ?? 0, 2);
            case FieldSource.Variable:
                return (field.MaxLength ?? 0, 2);
            case FieldSource.LogItem { Item: var item } when item.IsUriPart:
                // Method, path, query and version are slices of one logged request line of at most logurilen bytes.
                if (item.IsDisjointUriPart)
                {
                    var first = !uriShared;
                    uriShared = true;
                    return (first ? schema.Haproxy.LogUriLen : 0, 3);
                }

                return (schema.Haproxy.LogUriLen, 3);
            case FieldSource.LogItem { Item: var item }:
                return (item.MaxLength ?? 0, item.Escaping == ItemEscaping.Backslash ? 2 : 1);
            default:
                return (0, 1);
        }
    }
}
