using System.Text;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Conformance;

/// <summary>
/// A file of captured lines (one datagram per line, e.g. from <c>socat</c> on the socket, or a syslog file whose
/// lines contain the RFC 5424 line after a prefix), each judged by <see cref="DatagramJudge"/>.
/// </summary>
public static class SampleConformance
{
    private const int MaxListed = 100;

    /// <param name="mapWithoutFingerprint">
    /// The forwarder config's <c>map_lines_without_fingerprint</c>: a line without a fingerprint is then a warning
    /// (the daemon forwards it, unproven) instead of an error (the daemon dead-letters it).
    /// </param>
    public static (IReadOnlyList<Finding> Findings, string Covered) Check(SchemaExpectations expected, string file, bool mapWithoutFingerprint = false)
    {
        var judge = new DatagramJudge(expected, TimeZoneInfo.Utc, mapWithoutFingerprint);
        var findings = new List<Finding>();
        var (lines, requests, notices, bad, unproven) = (0, 0, 0, 0, 0);
        var number = 0;
        foreach (var raw in SplitLines(File.ReadAllBytes(file)))
        {
            number++;
            var datagram = StartOfRfc5424(raw);
            if (datagram.Length == 0 || datagram[0] == (byte)'#')
            {
                continue;
            }

            lines++;
            var verdict = judge.Judge(datagram);
            if (verdict.Problem is null && verdict.MappedWithoutFingerprint)
            {
                requests++;
                if (++unproven + bad <= MaxListed)
                {
                    findings.Add(new Finding(file, number, Severity.Warning, $"no '{Schema.Model.LogSchema.FingerprintParam}' param: forwarded only because map_lines_without_fingerprint is on, by param name, unproven against the schema (counted as lines_without_fingerprint_total)", "roll out HAProxy's generated log-format-sd, then switch map_lines_without_fingerprint off"));
                }

                continue;
            }

            if (verdict.Problem is null)
            {
                (requests, notices) = verdict.Kind == LineKind.Notice ? (requests, notices + 1) : (requests + 1, notices);
                continue;
            }

            if (++bad + unproven <= MaxListed)
            {
                findings.Add(new Finding(file, number, Severity.Error, verdict.Problem, "fix the HAProxy config that wrote it (run check --haproxy-cfg on it), or regenerate from the schema"));
            }
        }

        if (bad > MaxListed)
        {
            findings.Add(new Finding(file, number, Severity.Error, $"{bad - MaxListed} more non-conforming lines are not listed", "fix the first ones and run again"));
        }

        if (lines == 0)
        {
            findings.Add(new Finding(file, 1, Severity.Warning, "the sample file has no lines, so nothing was checked", "capture a few lines from the forwarder socket into it"));
        }

        var withoutFingerprint = mapWithoutFingerprint ? $" ({unproven} of them without a fingerprint, under map_lines_without_fingerprint)" : string.Empty;
        return (findings, $"{lines} line(s): {requests} request line(s) conform{withoutFingerprint}, {notices} notice(s) without structured data, {bad} do not conform");
    }

    private static IEnumerable<byte[]> SplitLines(byte[] bytes)
    {
        var start = 0;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i == bytes.Length || bytes[i] == (byte)'\n')
            {
                var end = i > start && bytes[i - 1] == (byte)'\r' ? i - 1 : i;
                if (i < bytes.Length || end > start)
                {
                    yield return bytes[start..end];
                }

                start = i + 1;
            }
        }
    }

    /// <summary>The line itself if it starts with <c>&lt;PRI&gt;1 </c>, else from the first such header (syslog file prefixes).</summary>
    private static byte[] StartOfRfc5424(byte[] line)
    {
        if (line.Length == 0 || line[0] == (byte)'<' || line[0] == (byte)'#')
        {
            return line;
        }

        var text = Encoding.Latin1.GetString(line);
        var match = System.Text.RegularExpressions.Regex.Match(text, @"<\d{1,3}>1 ");
        return match.Success ? line[match.Index..] : line;
    }
}
