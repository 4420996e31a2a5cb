using HaproxyKafka.Diagnostics;
using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Generator.Tests.Rendering;

public class TemplateSetTests
{
    private static readonly ArtifactModel Model = ArtifactModel.Build(SchemaLoader.LoadFile(RepoPaths.Schema).Schema!);

    /// <summary>A template directory with the banner partial and one template at <paramref name="relativePath"/>.</summary>
    private static TempDirectory Templates(string relativePath, string text)
    {
        var dir = new TempDirectory();
        File.Copy(Path.Combine(RepoPaths.Templates, "banner.sbn"), dir.File("banner.sbn"));
        Directory.CreateDirectory(Path.GetDirectoryName(dir.File(relativePath))!);
        File.WriteAllText(dir.File(relativePath), text);
        return dir;
    }

    [Fact]
    public void A_parse_error_names_the_template_file_line_and_column()
    {
        using var dir = Templates("haproxy/global.cfg.sbn", "# one\n# two\nlog {{ for x in }}\n");

        var load = () => TemplateSet.Load(dir.Path);

        var error = load.Should().Throw<InvalidInputException>().Which;
        error.Diagnostics.Should().NotBeEmpty();
        error.Diagnostics[0].ToString().Should().StartWith($"{dir.File("haproxy/global.cfg.sbn")}:3:17: error: ", "column 17 is the '}}' where the expression is missing");
        error.Diagnostics.Should().OnlyContain(d => d.Location.File == dir.File("haproxy/global.cfg.sbn") && d.Location.Line == 3);
    }

    [Fact]
    public void Every_broken_template_is_reported_at_once()
    {
        using var dir = Templates("haproxy/global.cfg.sbn", "{{ if }}\n");
        File.WriteAllText(dir.File("haproxy/captures.cfg.sbn"), "ok\n{{ end }}\n");

        var load = () => TemplateSet.Load(dir.Path);

        load.Should().Throw<InvalidInputException>().Which.Diagnostics.Select(d => Path.GetFileName(d.Location.File))
            .Should().Contain(["captures.cfg.sbn", "global.cfg.sbn"]);
    }

    [Fact]
    public void A_misspelt_member_is_an_error_at_its_place_not_an_empty_value()
    {
        using var dir = Templates("haproxy/global.cfg.sbn", "log {{ haproxy.socket }}\nlen {{ haproxy.lenght }}\n");
        var templates = TemplateSet.Load(dir.Path);

        var render = () => templates.Render(Model);

        render.Should().Throw<InvalidInputException>().Which.Diagnostics.Should().ContainSingle()
            .Which.ToString().Should().StartWith($"{dir.File("haproxy/global.cfg.sbn")}:2:").And.Contain("lenght");
    }

    [Fact]
    public void An_unknown_variable_is_an_error_at_its_place()
    {
        using var dir = Templates("haproxy/global.cfg.sbn", "log {{ socket }}\n");
        var templates = TemplateSet.Load(dir.Path);

        var render = () => templates.Render(Model);

        render.Should().Throw<InvalidInputException>().Which.Diagnostics.Single().Location
            .Should().Be(new SourceLocation(dir.File("haproxy/global.cfg.sbn"), 1, 8));
    }

    [Fact]
    public void Including_an_unknown_partial_names_the_including_line()
    {
        using var dir = Templates("haproxy/global.cfg.sbn", "x\n{{ include 'baner' '#' }}\n");
        var templates = TemplateSet.Load(dir.Path);

        var render = () => templates.Render(Model);

        var d = render.Should().Throw<InvalidInputException>().Which.Diagnostics.Single();
        d.Location.Should().Match<SourceLocation>(l => l.File == dir.File("haproxy/global.cfg.sbn") && l.Line == 2);
        d.Message.Should().Contain("no partial 'baner'").And.Contain("banner");
    }

    [Fact]
    public void Templates_see_snake_case_members_the_banner_partial_and_hiera_quoting()
    {
        using var dir = Templates("puppet/x.yaml.sbn", "{{ include 'banner' ';' ~}}\nsd: {{ haproxy.log_format_sd | hiera }}\nslot: {{ captures.request[6].slot }} {{ captures.request[6].after_rules }}\n");

        var artifact = TemplateSet.Load(dir.Path).Render(Model).Single();

        artifact.RelativePath.Should().Be("puppet/x.yaml");
        var lines = artifact.Content.Split('\n');
        lines[0].Should().Be($"; {Model.Banner.Origin}");
        lines[1].Should().Be($"; {Model.Banner.Instruction}");
        lines[2].Should().StartWith("sd: '%{literal(\"%\")}{+E}o[haproxykafka@0 server_pid=\\\"%pid\\\"");
        lines[3].Should().Be("slot: 6 true");
    }

    [Fact]
    public void Values_are_written_without_html_escaping()
    {
        using var dir = Templates("a/b.sbn", "{{ haproxy.log_format_sd }}");

        var content = TemplateSet.Load(dir.Path).Render(Model).Single().Content;

        content.Should().Be(Model.Haproxy.LogFormatSd).And.Contain("\\\"").And.NotContain("&quot;");
    }
}
