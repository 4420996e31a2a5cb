using System.Text;
using HaproxyKafka.Decoder.Rfc5424;

namespace HaproxyKafka.Decoder.Tests.Rfc5424;

public class Rfc5424ReaderTests
{
    private const string Header = "<134>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - ";

    [Fact]
    public void A_datagram_reads_into_its_elements_with_unescaped_values_and_its_message()
    {
        var line = Read(Header + """[a@1 x="1" y="q\"b\\s\]e\n"][b@2 z="東京"] msg text""" + "\n");

        line.Shape.Should().Be(DatagramShape.Structured);
        line.Elements.Select(e => e.Id).Should().Equal("a@1", "b@2");
        line.Element("a@1")!.Params.Should().Equal(new("x", "1"), new KeyValuePair<string, string>("y", "q\"b\\s]e\\n"));
        line.Element("b@2")!["z"].Should().Be("東京");
        line.Message.Should().Be("msg text");
    }

    [Fact]
    public void A_fault_position_counts_bytes_not_characters()
    {
        var text = Header + """[a@1 x="東京ü"y="1"]""";
        var expected = Encoding.UTF8.GetByteCount(text[..text.IndexOf("y=", StringComparison.Ordinal)]);

        var line = Read(text);

        line.Shape.Should().Be(DatagramShape.Malformed);
        line.Fault.Should().Be(Rfc5424Part.ParamName, "a value must be followed by ' ' or ']'");
        line.Position.Should().Be(expected).And.NotBe(text.IndexOf("y=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<192>1 TS - haproxy 1 - -  m", Rfc5424Part.Priority, 4)] // above facility 23, severity 7
    [InlineData("<1345>1 TS - haproxy 1 - - m", Rfc5424Part.Priority, 5)]
    [InlineData("<>1 TS - haproxy 1 - - m", Rfc5424Part.Priority, 1)]
    [InlineData("<134>2 TS - haproxy 1 - - m", Rfc5424Part.Version, 5)]
    [InlineData("<134>1  - haproxy 1 - - m", Rfc5424Part.Timestamp, 7)] // an empty header field is not NILVALUE
    [InlineData("<134>1 TS - haproxy  - - m", Rfc5424Part.ProcId, 20)]
    [InlineData("<134>1 TS - haproxy 1 - x m", Rfc5424Part.StructuredData, 24)]
    [InlineData("<134>1 TS - haproxy 1 - -m", Rfc5424Part.Message, 25)]
    [InlineData("<134>1 TS - haproxy 1 - [ x=\"1\"]", Rfc5424Part.ElementId, 25)]
    [InlineData("<134>1 TS - haproxy 1 - [a\"b x=\"1\"]", Rfc5424Part.ElementId, 26)]
    [InlineData("<134>1 TS - haproxy 1 - [a x y=\"1\"]", Rfc5424Part.ParamName, 28)] // a name ends at '=' only
    [InlineData("<134>1 TS - haproxy 1 - [a =\"1\"]", Rfc5424Part.ParamName, 27)]
    [InlineData("<134>1 TS - haproxy 1 - [a x=1]", Rfc5424Part.ParamValue, 29)]
    [InlineData("<134>1 TS - haproxy 1 - [a x=\"1\"]m", Rfc5424Part.Message, 33)]
    public void A_malformed_datagram_says_which_part_failed_and_where(string text, Rfc5424Part part, int position)
    {
        var line = Read(text);

        line.Shape.Should().Be(DatagramShape.Malformed);
        line.Fault.Should().Be(part);
        line.Position.Should().Be(position);
    }

    [Theory]
    [InlineData("[a x=\"1\"")]
    [InlineData("[a x=\"1")]
    [InlineData("[a x=\"1\\\"")] // the escaped quote does not close the value
    [InlineData("[a x=")]
    [InlineData("[a x")]
    [InlineData("[a")]
    [InlineData("[a x=\"1\"][b y=\"2")]
    public void A_datagram_that_ends_inside_the_structured_data_is_truncated(string sd)
    {
        Read(Header + sd).Shape.Should().Be(DatagramShape.Truncated);
    }

    [Fact]
    public void Moving_to_the_next_element_validates_the_params_the_caller_skipped()
    {
        var datagram = Encoding.UTF8.GetBytes(Header + """[a x="1" y=2][b z="3"] m""");
        var reader = new Rfc5424Reader(datagram);

        reader.ReadHeader().Should().BeTrue();
        reader.NextElement().Should().BeTrue();
        reader.NextElement().Should().BeFalse("the element it skipped has an unquoted value");
        reader.Shape.Should().Be(DatagramShape.Malformed);
        reader.Fault.Should().Be(Rfc5424Part.ParamValue);
    }

    private static DecodedDatagram Read(string text) => DecodedDatagram.Read(Encoding.UTF8.GetBytes(text));
}
