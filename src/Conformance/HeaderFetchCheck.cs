using HaproxyKafka.Diagnostics;

namespace HaproxyKafka.Conformance;

/// <summary>
/// Header fetches in a log format: HAProxy 2.6+ refuses the configuration ("sample fetch &lt;req.fhdr(...)&gt; may
/// not be reliably used here because it needs 'HTTP request headers'"), as headers are gone when the line is written.
/// </summary>
internal static class HeaderFetchCheck
{
    public static void Check(string format, string directive, ConfigLine line, List<Finding> findings)
    {
        for (var match = LogFormatEquivalence.HeaderFetch(format); match.Success; match = match.NextMatch())
        {
            var fetch = match.Groups[1].Value;
            var response = fetch.StartsWith("res.", StringComparison.Ordinal) || fetch.StartsWith('s');
            var header = match.Groups[2].Value;
            var capture = response
                ? $"'capture response header {header} len N' (or 'http-response capture res.fhdr({header}) len N')"
                : $"'capture request header {header} len N' (or 'http-request capture req.fhdr({header}) len N')";
            findings.Add(new Finding(line.File, line.Line, Severity.Error, $"{directive} uses %[{fetch}({header})]: HAProxy refuses header fetches in log formats ('may not be reliably used here'), the configuration does not load", $"capture the header with {capture} and log %[capture.{(response ? "res" : "req")}.hdr(SLOT)]"));
        }
    }
}
