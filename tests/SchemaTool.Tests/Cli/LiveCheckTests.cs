using HaproxyKafka.TestSupport;

namespace HaproxyKafka.SchemaTool.Tests.Cli;

/// <summary>check --live against real HAProxy: sentinel requests through the fragments, every field compared.</summary>
public class LiveCheckTests
{
    private static ProcessResult Live(string generated, params string[] extra) =>
        CliRunner.Run(["check", "--schema", RepoPaths.Schema, "--live", "--generated", generated, "--templates", RepoPaths.Templates, .. extra]);

    [Fact]
    public void The_generated_fragments_pass_with_every_sentinel_in_its_field()
    {
        using var copy = new GeneratedCopy();

        var result = Live(copy.Path);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Should().MatchRegex(@"checked live .*: HAProxy 2\.\d+\S*: one sentinel request, 18 of 23 fields compared with their sentinel");
    }

    [Fact]
    public void Swapped_captures_and_a_comma_splitting_fetch_are_caught_on_the_schema_lines()
    {
        using var copy = new GeneratedCopy();
        copy.Edit("haproxy/captures.cfg", t => t
            .ReplaceOnce("capture request header Referer len 1024\ncapture request header User-Agent len 1024", "capture request header User-Agent len 1024\ncapture request header Referer len 1024")
            .ReplaceOnce("req.fhdr(X-Analytics-TLS)", "req.hdr(X-Analytics-TLS)"));
        var schemaText = File.ReadAllText(RepoPaths.Schema);

        var result = Live(copy.Path);

        result.ExitCode.Should().Be(1, result.ToString());
        var live = result.StdOut.Split('\n').Where(l => l.Contains(": error: live: ")).ToList();
        live.Should().HaveCount(3, result.StdOut);
        live[0].Should().MatchRegex(@"schema\.yaml:(\d+): error: live: SD param 'referer' \(request header Referer\) carried 'q2,""\][0-9a-f]{6}', the sentinel of request header User-Agent; expected 'q1,");
        live[1].Should().Contain("SD param 'user_agent' (request header User-Agent) carried 'q1,").And.Contain("the sentinel of request header Referer");
        live[2].Should().Contain("SD param 'tls' (request header X-Analytics-TLS) carried '\"]").And.Contain("only the part after the comma (a hdr() fetch splits on commas)");
        LineOf(live[0]).Should().Be(TextPosition.LineOf(schemaText, "sd: referer,"));
        LineOf(live[2]).Should().Be(TextPosition.LineOf(schemaText, "sd: tls,"));
    }

    [Fact]
    public void Fragments_haproxy_refuses_are_a_finding_with_haproxys_words()
    {
        using var copy = new GeneratedCopy();
        copy.Edit("haproxy/captures.cfg", t => t.ReplaceOnce("req.fhdr(X-Analytics-TLS) id 6", "req.fhdr(X-Analytics-TLS) id 7"));

        var result = Live(copy.Path);

        result.ExitCode.Should().Be(1);
        result.StdOut.Should().Contain("error: HAProxy did not start on the fragments: ").And.Contain("unable to find capture id '7'").And.NotContain("[NOTICE]");
    }

    [Fact]
    public void A_logger_len_too_small_for_the_line_is_caught_as_an_emptied_line()
    {
        using var copy = new GeneratedCopy();
        copy.Edit("haproxy/global.cfg", t => t.ReplaceOnce("len 8192", "len 600"));

        var result = Live(copy.Path);

        result.ExitCode.Should().Be(1);
        result.StdOut.Should().Contain("error: the forwarder would not map HAProxy's line: HAProxy emptied the structured data and message: the line did not fit the logger's len");
    }

    [Fact]
    public void Without_haproxy_the_checker_cannot_run_and_says_so()
    {
        using var copy = new GeneratedCopy();

        var result = Live(copy.Path, "--haproxy-bin", "/nonexistent/haproxy");

        result.ExitCode.Should().Be(2);
        result.StdErr.Should().Contain("--live needs HAProxy, and '/nonexistent/haproxy' is neither a file nor on PATH");
        result.StdOut.Should().BeEmpty();
    }

    private static int LineOf(string finding) => int.Parse(System.Text.RegularExpressions.Regex.Match(finding, @"schema\.yaml:(\d+):").Groups[1].Value);
}
