using System.Text;
using FsCheck;
using FsCheck.Fluent;
using HaproxyKafka.Decoder.Rfc5424;
using HaproxyKafka.Decoder.Tests.Mapping;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Decoder.Tests.Rfc5424;

/// <summary>
/// The reader's fast paths give what its plain reading gives: the one-scan plain-ASCII verdict on a value, and a
/// param name taken by comparison with the name the caller expects.
/// </summary>
public class ParamValueScanTests
{
    private static readonly byte[] Header = "<134>1 2024-05-23T15:23:41+00:00 - haproxy 1 - "u8.ToArray();

    private static readonly ExpectedName[] TableNames =
        [.. ShippedTable.Table.Fields.Select(f => ExpectedName.TryCreate(Encoding.UTF8.GetBytes(f.Sd))!)];

    [Fact]
    public void A_value_is_plain_ascii_exactly_when_every_byte_is_printable_ascii_other_than_quote_and_backslash()
    {
        // Values of every length around the 16-byte vector, with bytes anywhere in them, and any MSG length after.
        var values = Gen.Choose(0, 255).Select(b => (byte)(b is '"' or '\\' ? 'q' : b)).ArrayOf().Resize(60);
        Prop.ForAll(values.ToArbitrary(), Gen.Choose(0, 40).ToArbitrary(), (value, messageLength) =>
        {
            byte[] datagram = [.. Header, .. "[a x=\""u8, .. value, .. "\"] "u8, .. Enumerable.Repeat((byte)'m', messageLength)];
            var reader = new Rfc5424Reader(datagram);
            reader.ReadHeader();
            reader.NextElement();
            var read = reader.NextParam();
            return read && reader.ParamValue.Of(datagram).SequenceEqual(value) &&
                   reader.ParamValueIsPlainAscii == value.All(b => b is >= 0x20 and <= 0x7E);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Theory]
    [InlineData("plain value", true)]
    [InlineData("", true)]
    [InlineData("a\\\"b", false)] // an escaped quote: the value goes on past it
    [InlineData("a\\\\", false)]
    [InlineData("tab\there", false)]
    [InlineData("del\u007f", false)]
    [InlineData("東京", false)]
    public void Escapes_control_bytes_and_non_ascii_make_a_value_not_plain(string value, bool plain)
    {
        byte[] datagram = [.. Header, .. Encoding.UTF8.GetBytes($"[a x=\"{value}\" y=\"1\"]")];
        var reader = new Rfc5424Reader(datagram);
        reader.ReadHeader();
        reader.NextElement();

        reader.NextParam().Should().BeTrue();
        Encoding.UTF8.GetString(reader.ParamValue.Of(datagram)).Should().Be(value);
        reader.ParamValueIsPlainAscii.Should().Be(plain);
        reader.NextParam().Should().BeTrue("the value ended at its closing quote");
        Encoding.UTF8.GetString(reader.ParamName.Of(datagram)).Should().Be("y");
    }

    [Fact]
    public void Reading_with_expected_names_gives_what_reading_without_them_gives_on_any_mutation()
    {
        var valid = ShippedTable.Line(new Dictionary<string, string?> { ["referer"] = "https://x/\\\"q\\\"\\]\\\\", ["range"] = null });
        Prop.ForAll(DatagramMutations.Of(valid).ToArbitrary(), datagram => Walk(datagram, withExpected: true) == Walk(datagram, withExpected: false))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    [Fact]
    public void Expected_names_are_taken_by_comparison_on_a_line_in_table_order()
    {
        var datagram = ShippedTable.Line();
        var reader = new Rfc5424Reader(datagram);
        reader.ReadHeader();
        reader.NextElement();
        var expected = 0;
        while (reader.NextParam(expected < TableNames.Length ? TableNames[expected] : null, out var isExpected))
        {
            isExpected.Should().Be(expected < TableNames.Length, "every param but the fingerprint comes in table order");
            Encoding.UTF8.GetString(reader.ParamName.Of(datagram)).Should().Be(
                expected < TableNames.Length ? ShippedTable.Table.Fields[expected].Sd : ShippedTable.Table.FingerprintParam);
            expected++;
        }

        reader.Shape.Should().Be(DatagramShape.Structured);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a=b")]
    [InlineData("a]")]
    [InlineData("a\"")]
    public void A_name_the_reader_could_not_read_whole_is_never_expected(string name)
    {
        ExpectedName.TryCreate(Encoding.UTF8.GetBytes(name)).Should().BeNull();
    }

    /// <summary>Every param and the final state of one walk, as text so two walks compare by value.</summary>
    private static string Walk(byte[] datagram, bool withExpected)
    {
        var log = new StringBuilder();
        var reader = new Rfc5424Reader(datagram);
        if (reader.ReadHeader())
        {
            while (reader.NextElement())
            {
                var next = 0;
                log.Append($"[{reader.ElementId}");
                while (reader.NextParam(withExpected && next < TableNames.Length ? TableNames[next] : null, out var isExpected))
                {
                    next = isExpected ? next + 1 : 0;
                    log.Append($" {reader.ParamName}={reader.ParamValue}/{reader.ParamValueIsPlainAscii}");
                }
            }
        }

        return log.Append($" {reader.Shape} {reader.Fault} {reader.Position} {reader.Message}").ToString();
    }
}
