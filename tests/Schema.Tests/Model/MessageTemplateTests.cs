using System.Collections.Immutable;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Tests.Model;

public class MessageTemplateTests
{
    private static readonly SourceLocation At = new("s", 1, 1);

    private static CaptureSet Captures(params string[] request) =>
        new([.. request.Select((h, i) => new CaptureSlot(CaptureDirection.Request, i, h, 10, false, At))],
            [new CaptureSlot(CaptureDirection.Response, 0, "X-Cache", 10, false, At)]);

    [Fact]
    public void Replaces_references_with_the_current_slot()
    {
        var message = "%ST {@{request:Host}} {@{response:X-Cache}} %ts";

        MessageTemplate.Render(message, Captures("Referer", "Host")).Should().Be("%ST {%[capture.req.hdr(1)]} {%[capture.res.hdr(0)]} %ts");
        MessageTemplate.Render(message, Captures("Host", "Referer")).Should().Be("%ST {%[capture.req.hdr(0)]} {%[capture.res.hdr(0)]} %ts");
    }

    [Fact]
    public void Header_names_match_case_insensitively_like_http()
    {
        MessageTemplate.Render("@{request:host}", Captures("Host")).Should().Be("%[capture.req.hdr(0)]");
    }

    [Fact]
    public void Text_without_references_is_unchanged()
    {
        MessageTemplate.Render("%rt %Tr {x}", Captures()).Should().Be("%rt %Tr {x}");
        MessageTemplate.References("%rt").Should().BeEmpty();
    }
}
