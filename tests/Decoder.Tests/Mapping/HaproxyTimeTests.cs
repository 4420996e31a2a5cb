using System.Text;
using FsCheck;
using FsCheck.Fluent;
using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Decoder.Tests.Mapping;

public class HaproxyTimeTests
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo", "may"];

    [Theory]
    [InlineData("UTC")]
    [InlineData("Europe/Berlin")]
    public void Writing_a_time_gives_the_bytes_of_converting_it_then_writing_the_utc_time(string zone)
    {
        var time = new HaproxyTime(TimeZoneInfo.FindSystemTimeZoneById(zone));
        // Fields a little past their ranges too, so invalid dates (31 Apr, 29 Feb 2023, hour 24) are among them.
        var texts =
            from day in Gen.Choose(0, 32)
            from month in Gen.Elements(Months)
            from year in Gen.Choose(1960, 2100)
            from hour in Gen.Choose(0, 25)
            from minute in Gen.Choose(0, 60)
            from second in Gen.Choose(0, 60)
            from ms in Gen.Choose(0, 999)
            select $"{day:00}/{month}/{year:0000}:{hour:00}:{minute:00}:{second:00}.{ms:000}";
        Prop.ForAll(texts.ToArbitrary(), text =>
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            var direct = new JsonBuffer();
            var converted = new JsonBuffer();
            var written = time.TryWriteUtc(direct, bytes);
            var valid = time.TryToUtc(bytes, out var utc);
            if (valid)
            {
                HaproxyTime.WriteIso8601(converted, utc);
            }

            return written == valid && direct.Written.SequenceEqual(converted.Written);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    [Theory]
    [InlineData("23/May/2024:15:23:41.859", "\"2024-05-23T15:23:41Z\"")]
    [InlineData("29/Feb/2024:23:59:59.999", "\"2024-02-29T23:59:59Z\"")]
    [InlineData("01/Dec/1970:00:00:00.000", "\"1970-12-01T00:00:00Z\"")]
    public void A_utc_time_is_written_to_the_second(string text, string json)
    {
        var output = new JsonBuffer();

        new HaproxyTime(TimeZoneInfo.Utc).TryWriteUtc(output, Encoding.ASCII.GetBytes(text)).Should().BeTrue();
        Encoding.ASCII.GetString(output.Written).Should().Be(json);
    }

    [Theory]
    [InlineData("29/Feb/2023:00:00:00.000")]
    [InlineData("31/Apr/2024:00:00:00.000")]
    [InlineData("01/Jan/1969:00:00:00.000")]
    [InlineData("01/Foo/2024:00:00:00.000")]
    [InlineData("1/Jan/2024:00:00:00.000")]
    [InlineData("01/Jan/2024:24:00:00.000")]
    public void An_invalid_time_writes_nothing(string text)
    {
        var output = new JsonBuffer();

        new HaproxyTime(TimeZoneInfo.Utc).TryWriteUtc(output, Encoding.ASCII.GetBytes(text)).Should().BeFalse();
        output.Length.Should().Be(0);
    }
}
