using HaproxyKafka.Diagnostics;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

/// <summary>
/// The production corpus (corpus/production, see its README): a cache host's two-file layout at four points of
/// Wikimedia's 2024 history, checked as HAProxy loads it (<c>-f haproxy.cfg -f conf.d/</c>). Each era pins the
/// true findings, each at its file and line, and that nothing else is reported.
/// </summary>
public class ProductionCorpusTests
{
    private static readonly string Root = Path.Combine(RepoPaths.Root, "tests", "Conformance.Tests", "corpus", "production");

    // Findings every era has: production writes no fingerprint, and captures two headers with hdr(), which
    // keeps only the last comma-separated part.
    private static readonly (string File, string Line, string Message)[] Always =
    [
        ("haproxy.cfg", "log-format-sd", "log-format-sd lacks parameter 'schema_fp'"),
        ("conf.d/tls.cfg", "http-request capture hdr(X-Analytics-TLS) len 96", "request capture slot 6 of listen 'tls' uses a hdr() fetch"),
        ("conf.d/tls.cfg", "http-after-response capture hdr(X-Cache-Status) id 0", "response capture slot 0 of frontend 'http' uses a hdr() fetch"),
    ];

    public static TheoryData<string, int, int, string[]> Eras => new()
    {
        { "head", 4, 0, [] },
        { "2024-09-10-haproxykafka", 6, 0, ["parameter 'haproxy_pid' carries what the schema calls 'server_pid'", "parameter 'accept_date' carries what the schema calls 'dt'"] },
        { "2024-09-12-schema-param", 6, 1, ["parameter '$schema' is not in the schema", "parameter 'haproxy_pid' carries what the schema calls 'server_pid'", "parameter 'accept_date' carries what the schema calls 'dt'"] },
        {
            "2024-07-benthoslog", 20, 0,
            [
                "the rfc5424 logger writes to '127.0.0.1:1221', not the forwarder's socket", "SD-ID 'benthoslog', the schema 'haproxykafka@0'",
                "parameter 'haproxy_pid' carries what the schema calls 'server_pid'", "parameter 'uri_host' is '%[capture.req.hdr(0),ub64enc]'",
                "parameter 'backend' is '%[capture.res.hdr(4),ub64enc]'",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Eras))]
    public void Each_era_gets_its_true_findings_and_no_false_ones(string era, int errors, int warnings, string[] eraFindings)
    {
        var dir = Path.Combine(Root, era);
        var findings = Check(dir);
        var report = string.Join('\n', findings);

        foreach (var (file, lineText, message) in Always)
        {
            var finding = findings.Should().Contain(f => f.Message.Contains(message), report).Subject;
            Relative(dir, finding.File).Should().Be(file, finding.ToString());
            finding.Line.Should().Be(TextPosition.LineOf(File.ReadAllText(Path.Combine(dir, file)), lineText), finding.ToString());
        }

        foreach (var message in eraFindings)
        {
            findings.Should().ContainSingle(f => f.Message.Contains(message), report);
        }

        findings.Count(f => f.Severity == Severity.Error).Should().Be(errors, report);
        findings.Count(f => f.Severity == Severity.Warning).Should().Be(warnings, report);

        // What the checker used to say on this layout, all false.
        findings.Should().NotContain(f => f.Message.Contains("no global logger") || f.Message.Contains("no frontend or listen") || f.Message.Contains("'sequence'")
            || f.Message.Contains("MSG part") || f.Message.Contains("out of order") || f.Message.Contains("is missing"), report);
    }

    [Fact]
    public void The_response_capture_advice_names_the_response_spellings()
    {
        var finding = Check(Path.Combine(Root, "head")).Single(f => f.Message.Contains("response capture slot 0"));

        finding.Fix.Should().Contain("res.fhdr(X-Cache-Status)").And.Contain("'http-response capture'").And.Contain("capture response header X-Cache-Status len 10")
            .And.NotContain("capture request");
    }

    [Fact]
    public void A_wrong_logger_is_one_finding_at_its_log_line_and_the_proxies_are_still_checked()
    {
        var dir = Path.Combine(Root, "2024-07-benthoslog");
        var findings = Check(dir);

        var logger = findings.Should().ContainSingle(f => f.Message.Contains("logger")).Subject;
        logger.Line.Should().Be(TextPosition.LineOf(File.ReadAllText(Path.Combine(dir, "haproxy.cfg")), "log 127.0.0.1:1221"));
        findings.Should().Contain(f => Relative(dir, f.File) == "conf.d/tls.cfg", "the proxies in conf.d are checked although the logger is wrong");
    }

    [Fact]
    public void Each_file_alone_misses_the_other_half_which_is_why_they_are_one_configuration()
    {
        var dir = Path.Combine(Root, "head");

        var alone = HaproxyConformance.Check(Corpus.Schema, HaproxyConfigSources.Load([Path.Combine(dir, "conf.d", "tls.cfg")]));

        alone.Should().Contain(f => f.Message.Contains("no global logger"), "conf.d/tls.cfg has no logger of its own");
        alone.Should().Contain(f => f.Message.Contains("without a log-format-sd"), "its format is in haproxy.cfg's defaults");
    }

    private static List<Finding> Check(string dir) =>
        [.. HaproxyConformance.Check(Corpus.Schema, HaproxyConfigSources.Load([Path.Combine(dir, "haproxy.cfg"), Path.Combine(dir, "conf.d")]))];

    private static string Relative(string dir, string file) => Path.GetRelativePath(dir, file).Replace('\\', '/');
}
