using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Decoder.Tests.Mapping;

/// <summary>The SLO facts of a mapped line, read from the fields logging <c>%ts</c>, <c>%ST</c> and <c>%Tr</c>.</summary>
public class SloFactsTests
{
    [Theory]
    [InlineData("--", TerminationClass.Normal)]
    [InlineData("CD", TerminationClass.Client)]
    [InlineData("cR", TerminationClass.Client)]
    [InlineData("SH", TerminationClass.Server)]
    [InlineData("sD", TerminationClass.Server)]
    [InlineData("IR", TerminationClass.ProxyError)]
    [InlineData("RC", TerminationClass.ProxyError)]
    [InlineData("DC", TerminationClass.ProxyError)]
    [InlineData("UC", TerminationClass.ProxyError)]
    [InlineData("KD", TerminationClass.ProxyError)]
    [InlineData("LR", TerminationClass.ProxyError)]
    [InlineData("PR", TerminationClass.ProxyDeny)]
    [InlineData("-", TerminationClass.Normal)]
    [InlineData("", TerminationClass.Unknown)]
    [InlineData("xx", TerminationClass.Unknown)]
    public void The_termination_state_names_who_ended_the_session(string state, TerminationClass expected) =>
        SloFacts.Classify(System.Text.Encoding.ASCII.GetBytes(state)).Should().Be(expected);

    [Theory]
    [InlineData("101", StatusClass.Informational)]
    [InlineData("200", StatusClass.Success)]
    [InlineData("304", StatusClass.Redirection)]
    [InlineData("404", StatusClass.ClientError)]
    [InlineData("503", StatusClass.ServerError)]
    [InlineData("-1", StatusClass.Other)]
    [InlineData("600", StatusClass.Other)]
    [InlineData("2000", StatusClass.Other)]
    [InlineData("2x0", StatusClass.Other)]
    public void The_status_falls_in_its_class(string status, StatusClass expected) =>
        SloFacts.ClassifyStatus(System.Text.Encoding.ASCII.GetBytes(status)).Should().Be(expected);

    [Fact]
    public void A_mapped_line_carries_its_facts_and_a_rejected_one_none()
    {
        var mapper = ShippedTable.Mapper();
        var json = new JsonBuffer();

        mapper.Map(ShippedTable.Line(), json).Slo.Should().Be(new SloFacts(TerminationClass.Normal, StatusClass.Success, 57));
        mapper.Map(ShippedTable.Line(new Dictionary<string, string?> { ["termination_state"] = "IR", ["http_status"] = "503", ["time_backend_response"] = "-1" }), json)
            .Slo.Should().Be(new SloFacts(TerminationClass.ProxyError, StatusClass.ServerError, SloFacts.NoTimeToFirstByte));
        mapper.Map(ShippedTable.Line(new Dictionary<string, string?> { ["termination_state"] = null }), json)
            .Slo.Termination.Should().Be(TerminationClass.Unknown, "an absent termination state is not guessed");
        mapper.Map(ShippedTable.Line(new Dictionary<string, string?> { ["sequence"] = "x" }), json).Slo.Should().Be(default(SloFacts), "only messages are counted");
    }
}
