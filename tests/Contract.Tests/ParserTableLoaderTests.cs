using HaproxyKafka.Diagnostics;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Contract.Tests;

public class ParserTableLoaderTests
{
    private const string File = "tables/parser-table.json";

    /// <summary>Parses an edited copy of the sample table and returns its one diagnostic.</summary>
    private static Diagnostic Damaged(string text)
    {
        var parse = () => ParserTableLoader.Parse(System.Text.Encoding.UTF8.GetBytes(text), File);
        return parse.Should().Throw<InvalidInputException>().Which.Diagnostics.Should().ContainSingle().Subject;
    }

    private static string Edit(string from, string to) => SampleTable.Json.ReplaceOnce(from, to);

    [Fact]
    public void Invalid_json_names_the_file_and_the_line_where_it_breaks()
    {
        var text = Edit("\"sd_id\": \"haproxykafka@0\",", "\"sd_id\": \"haproxykafka@0\" oops,");

        var d = Damaged(text);

        d.Location.Should().Be(new SourceLocation(File, TextPosition.LineOf(text, "oops"), d.Location.Column));
        d.Message.Should().StartWith("not valid JSON: ").And.NotContain("LineNumber", "the 0-based position would contradict the location");
        d.ToString().Should().StartWith($"{File}:{TextPosition.LineOf(text, "oops")}:");
    }

    [Fact]
    public void A_cut_file_is_invalid_json()
    {
        var text = SampleTable.Json[..200];

        Damaged(text).Message.Should().StartWith("not valid JSON: ");
    }

    [Fact]
    public void A_missing_key_names_the_key_and_the_end_of_the_object_that_lacks_it()
    {
        var text = Edit("  \"dlq_topic\": \"webrequest_errors\",\n", string.Empty);

        var d = Damaged(text);

        d.Message.Should().StartWith("not a parser table: ").And.Contain("'dlq_topic'");
        d.Location.Line.Should().Be(text.Count(c => c == '\n'), "the root object ends on the last line");
    }

    [Fact]
    public void A_missing_key_in_a_field_points_into_that_field()
    {
        var text = Edit("      \"absent\": \"dash\",\n", string.Empty);

        var d = Damaged(text);

        d.Message.Should().Contain("'absent'").And.Contain("$.fields[2]");
        d.Location.Line.Should().BeInRange(TextPosition.LineOf(text, "\"sd\": \"referer\""), TextPosition.LineOf(text, "\"added\""));
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_line_and_path()
    {
        var text = Edit("\"required\": true", "\"required\": \"yes\"");

        var d = Damaged(text);

        d.Location.Line.Should().Be(TextPosition.LineOf(text, "\"required\": \"yes\""));
        d.Message.Should().Be("not a parser table: at $.fields[0].required: the value has the wrong type");
    }

    [Fact]
    public void A_list_where_an_object_belongs_is_a_shape_error_with_its_line()
    {
        var text = Edit("\"clusters\": {", "\"clusters\": [], \"x\": {");

        var d = Damaged(text);

        d.Location.Line.Should().Be(TextPosition.LineOf(text, "\"clusters\": []"));
        d.Message.Should().Be("not a parser table: at $.clusters: the value has the wrong type");
    }

    [Fact]
    public void Null_for_a_text_is_an_error_with_its_line()
    {
        var text = Edit("\"sd_id\": \"haproxykafka@0\"", "\"sd_id\": null");

        var d = Damaged(text);

        d.Location.Line.Should().Be(TextPosition.LineOf(text, "\"sd_id\": null"));
        d.Message.Should().Contain("sd_id");
    }

    [Theory]
    [InlineData("\"type\": \"number\"", "\"type\": \"float\"", "'float' is not one of string, integer, number, timestamp")]
    [InlineData("\"transform\": \"ms_to_seconds\"", "\"transform\": \"ms\"", "'ms' is not one of none, ms_to_seconds")]
    [InlineData("\"absent\": \"dash\"", "\"absent\": \"-\"", "'-' is not one of null, omit, zero, empty, dash")]
    [InlineData("\"from\": \"hostname\"", "\"from\": \"host\"", "'host' is not one of hostname, cluster, constant")]
    public void An_unknown_spelling_lists_the_known_ones_at_its_line(string from, string to, string message)
    {
        var text = Edit(from, to);

        var d = Damaged(text);

        d.Location.Line.Should().Be(TextPosition.LineOf(text, to));
        d.Message.Should().Contain(message);
    }

    [Fact]
    public void Another_format_is_refused_at_its_line()
    {
        var text = Edit("\"format\": \"haproxykafka-parser-table/1\"", "\"format\": \"haproxykafka-parser-table/2\"");

        var d = Damaged(text);

        d.Location.Line.Should().Be(TextPosition.LineOf(text, "\"format\""));
        d.Message.Should().Contain("format is 'haproxykafka-parser-table/2', this forwarder reads 'haproxykafka-parser-table/1'");
    }

    [Fact]
    public void A_format_that_is_not_text_is_refused_at_its_line()
    {
        var text = Edit("\"format\": \"haproxykafka-parser-table/1\"", "\"format\": 1");

        var d = Damaged(text);

        d.Location.Line.Should().Be(TextPosition.LineOf(text, "\"format\""));
        d.Message.Should().Contain("format is not a string");
    }

    [Fact]
    public void A_missing_format_is_refused()
    {
        var text = Edit("  \"format\": \"haproxykafka-parser-table/1\",\n", string.Empty);

        Damaged(text).Message.Should().Contain("'format'");
    }

    [Fact]
    public void A_key_given_twice_is_refused_at_the_second()
    {
        var text = Edit("\"dlq_topic\": \"webrequest_errors\",", "\"dlq_topic\": \"webrequest_errors\",\n  \"dlq_topic\": \"other\",");

        var d = Damaged(text);

        d.Location.Line.Should().Be(TextPosition.LineOf(text, "\"dlq_topic\": \"other\""));
        d.Message.Should().Contain("dlq_topic");
    }

    [Fact]
    public void A_null_field_entry_is_refused()
    {
        Damaged(Edit("\"fields\": [", "\"fields\": [null,")).Message.Should().StartWith("not a parser table: ");
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_an_error_naming_it()
    {
        using var dir = new TempDirectory();
        var missing = dir.File("absent.json");

        var load = () => ParserTableLoader.Load(missing);

        load.Should().Throw<InvalidInputException>().Which.Diagnostics.Single().ToString().Should().StartWith($"{missing}:1:1: error: cannot read the parser table");
    }

    [Fact]
    public void Load_reads_a_file_and_remembers_where_from()
    {
        using var dir = new TempDirectory();
        var path = dir.File("parser-table.json");
        System.IO.File.WriteAllText(path, SampleTable.Json);

        var table = ParserTableLoader.Load(path);

        table.File.Should().Be(path);
        table.Fields.Should().Equal(SampleTable.Table.Fields);
    }
}
