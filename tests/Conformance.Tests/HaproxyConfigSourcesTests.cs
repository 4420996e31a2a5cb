using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

public class HaproxyConfigSourcesTests
{
    [Fact]
    public void A_directory_is_its_cfg_files_in_byte_order_as_haproxy_f_reads_it()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("conf.d"));
        foreach (var name in new[] { "b.cfg", "a.cfg", "B.cfg", "notes.txt", "c.cfg.bak" })
        {
            File.WriteAllText(dir.File(Path.Combine("conf.d", name)), string.Empty);
        }

        File.WriteAllText(dir.File("haproxy.cfg"), string.Empty);

        HaproxyConfigSources.Expand([dir.File("haproxy.cfg"), dir.File("conf.d")]).Select(Path.GetFileName)
            .Should().Equal("haproxy.cfg", "B.cfg", "a.cfg", "b.cfg");
    }

    [Fact]
    public void Defaults_of_an_earlier_file_apply_to_proxies_of_a_later_one_and_lines_keep_their_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("one.cfg"), "defaults\n    log global\n    log-format-sd x\n");
        File.WriteAllText(dir.File("two.cfg"), "\nfrontend f\n    bind :80\n");

        var config = HaproxyConfigSources.Load([dir.File("one.cfg"), dir.File("two.cfg")]);

        var proxy = config.Sections.Single(s => s.Kind == "frontend");
        proxy.File.Should().Be(dir.File("two.cfg"));
        proxy.Line.Should().Be(2);
        var defaults = config.DefaultsFor(proxy)!;
        defaults.File.Should().Be(dir.File("one.cfg"));
        defaults.Lines.Should().OnlyContain(l => l.File == dir.File("one.cfg"));
    }
}
