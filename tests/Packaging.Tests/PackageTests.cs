using System.Text.RegularExpressions;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Packaging.Tests;

/// <summary>The Debian package as dpkg, systemd-analyze and lintian see it, and the daemon it installs, run once.</summary>
[Collection(PackageCollection.Name)]
public partial class PackageTests(BuiltPackage package)
{
    [Fact]
    public async Task It_holds_the_daemon_the_tool_the_units_the_drop_ins_the_config_and_the_docs_root_owned()
    {
        var listing = await ExternalTool.RunAsync("dpkg-deb", ["-c", package.Deb]);
        listing.ExitCode.Should().Be(0, listing.ToString());
        var entries = listing.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Entry.Parse).ToDictionary(e => e.Path);

        entries.Values.Should().OnlyContain(e => e.Owner == "root/root", "dpkg-deb --root-owner-group");
        entries.Values.Where(e => e.Mode[0] != 'l').Should().OnlyContain(e => e.Mode[8] != 'w', "nothing but symbolic links is world-writable");
        var expected = new Dictionary<string, string>
        {
            ["/usr/lib/haproxykafka/haproxykafka"] = "-rwxr-xr-x",
            ["/usr/lib/haproxykafka/haproxykafka-schema"] = "-rwxr-xr-x",
            ["/usr/lib/haproxykafka/createdump"] = "-rwxr-xr-x",
            ["/usr/lib/haproxykafka/libcoreclr.so"] = "-rw-r--r--",
            ["/usr/lib/haproxykafka/haproxykafka.dll"] = "-rw-r--r--",
            ["/usr/lib/haproxykafka/haproxykafka-schema.dll"] = "-rw-r--r--",
            ["/usr/bin/haproxykafka"] = "lrwxrwxrwx",
            ["/usr/bin/haproxykafka-schema"] = "lrwxrwxrwx",
            ["/lib/systemd/system/haproxykafka.service"] = "-rw-r--r--",
            ["/usr/lib/sysctl.d/70-haproxykafka.conf"] = "-rw-r--r--",
            ["/usr/lib/tmpfiles.d/haproxykafka.conf"] = "-rw-r--r--",
            ["/usr/lib/sysusers.d/haproxykafka.conf"] = "-rw-r--r--",
            ["/etc/haproxykafka/config.yaml"] = "-rw-r--r--",
            ["/etc/haproxykafka/parser-table.json"] = "-rw-r--r--",
            ["/usr/share/doc/haproxykafka/copyright"] = "-rw-r--r--",
            ["/usr/share/doc/haproxykafka/changelog.gz"] = "-rw-r--r--",
            ["/usr/share/doc/haproxykafka/forwarder.md"] = "-rw-r--r--",
            ["/usr/share/doc/haproxykafka/haproxykafka.rules.yml"] = "-rw-r--r--",
            ["/usr/share/lintian/overrides/haproxykafka"] = "-rw-r--r--",
        };
        foreach (var unit in Directory.GetFiles(Path.Combine(RepoPaths.Root, "packaging"), "*.s*").Where(f => f.EndsWith(".service", StringComparison.Ordinal) || f.EndsWith(".socket", StringComparison.Ordinal)))
        {
            expected[$"/lib/systemd/system/{Path.GetFileName(unit)}"] = "-rw-r--r--";
        }

        foreach (var (path, mode) in expected)
        {
            entries.Should().ContainKey(path);
            entries[path].Mode.Should().Be(mode, path);
        }

        entries["/usr/bin/haproxykafka"].Target.Should().Be("../lib/haproxykafka/haproxykafka");
        (await Field("Depends")).Should().Contain("librdkafka1 (>= 1.5.2)");
        (await Field("Version")).Should().Be(BuiltPackage.Version);
        var control = await ExternalTool.RunAsync("dpkg-deb", ["-I", package.Deb, "conffiles"]);
        control.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo("/etc/haproxykafka/config.yaml", "/etc/haproxykafka/parser-table.json");
        File.ReadAllText(package.Installed("/usr/lib/sysctl.d/70-haproxykafka.conf")).Should().Contain("net.unix.max_dgram_qlen = 512");
    }

    [Fact]
    public async Task Dpkg_installs_it_and_its_maintainer_script_creates_the_account_and_the_socket_directory()
    {
        package.Install.ExitCode.Should().Be(0, package.Install.ToString());
        var status = await package.Dpkg("-s", "haproxykafka");
        status.StdOut.Should().Contain("Status: install ok installed").And.Contain($"Version: {BuiltPackage.Version}");
        var listed = await package.Dpkg("-L", "haproxykafka");
        listed.StdOut.Should().Contain("/usr/lib/haproxykafka/haproxykafka\n").And.Contain("/etc/haproxykafka/config.yaml\n");

        File.ReadAllText(package.Installed("/etc/passwd")).Should().MatchRegex("(?m)^haproxykafka:x:[0-9]+:[0-9]+:HaproxyKafka forwarder:/var/lib/haproxykafka:");
        Directory.Exists(package.Installed("/run/haproxykafka")).Should().BeTrue("systemd-tmpfiles --root created it");
        File.GetUnixFileMode(package.Installed("/usr/lib/haproxykafka/haproxykafka")).Should().HaveFlag(UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task Systemd_analyze_verifies_the_installed_units()
    {
        var units = Directory.GetFiles(package.Installed("/lib/systemd/system"), "haproxykafka*").Select(u => "/lib/systemd/system/" + Path.GetFileName(u)).ToList();
        units.Should().Contain("/lib/systemd/system/haproxykafka.service");

        // The scratch root has no systemd of its own; the host's units (targets the service depends on) stand in, and
        // the host's /bin/kill for the procps the package depends on (ExecReload= runs it; verify checks it exists).
        var hostUnits = await ExternalTool.RunAsync("cp", ["-an", "/lib/systemd/system/.", package.Installed("/lib/systemd/system/")]);
        hostUnits.ExitCode.Should().Be(0, hostUnits.ToString());
        Directory.CreateDirectory(package.Installed("/bin"));
        File.Copy("/bin/kill", package.Installed("/bin/kill"), overwrite: true);

        var verify = await ExternalTool.RunAsync("systemd-analyze", ["verify", $"--root={package.Root}", .. units]);

        verify.ExitCode.Should().Be(0, verify.ToString());
        verify.Output.Should().NotContain("haproxykafka", verify.ToString());
    }

    [Fact]
    public async Task The_installed_daemon_checks_its_installed_config_then_forwards_a_line_on_the_mock_broker()
    {
        var daemon = package.Installed("/usr/bin/haproxykafka");
        var installedConfig = File.ReadAllText(package.Installed("/etc/haproxykafka/config.yaml"));

        // The conffile as installed, with only the parser table's path moved into the scratch root.
        using var scratch = new TempDirectory();
        var config = scratch.File("config.yaml");
        File.WriteAllText(config, installedConfig.Replace("/etc/haproxykafka/parser-table.json", package.Installed("/etc/haproxykafka/parser-table.json"), StringComparison.Ordinal));
        var check = await ExternalTool.RunAsync(daemon, ["-c", config, "--check"]);
        check.ExitCode.Should().Be(0, check.ToString());
        check.Output.Should().Contain("librdkafka 2.0.2");

        // A short real run: the broker, socket, listener and dead-letter file moved into the scratch directory.
        using var cluster = new MockKafkaCluster();
        cluster.CreateTopic("webrequest_frontend_text");
        cluster.CreateTopic("webrequest_errors");
        var port = FreePort.Next();
        File.WriteAllText(config, installedConfig
            .Replace("/etc/haproxykafka/parser-table.json", package.Installed("/etc/haproxykafka/parser-table.json"), StringComparison.Ordinal)
            .Replace("/var/run/haproxykafka/haproxykafka.sock", scratch.File("haproxykafka.sock"), StringComparison.Ordinal)
            .Replace("/var/lib/haproxykafka/dead-letters.jsonl", scratch.File("dead-letters.jsonl"), StringComparison.Ordinal)
            .Replace("localhost:9092", cluster.BootstrapServers, StringComparison.Ordinal)
            .Replace("\":9341\"", $"\"127.0.0.1:{port}\"", StringComparison.Ordinal)
            .Replace("  user: haproxykafka\n  group: haproxykafka\n", string.Empty, StringComparison.Ordinal));
        await using var process = LoggedProcess.Start(daemon, ["-c", config]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        (await Eventually(async () => (await http.GetAsync("readyz")).IsSuccessStatusCode)).Should().BeTrue(process.Log);

        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified))
        {
            socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(scratch.File("haproxykafka.sock")));
            socket.Send(System.Text.Encoding.UTF8.GetBytes(CapturedLine() + "\n"));
        }

        (await Eventually(async () => (await http.GetStringAsync("metrics")).Contains("haproxykafka_delivered_messages_total 1\n", StringComparison.Ordinal)))
            .Should().BeTrue(process.Log + await http.GetStringAsync("metrics"));
        Signals.Terminate(process.Id);
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, process.Log);
    }

    [Fact]
    public async Task Lintian_finds_nothing_that_is_not_fixed_or_justified_in_the_overrides()
    {
        var lintian = await ExternalTool.RunAsync("lintian", ["--fail-on", "error,warning", "--no-tag-display-limit", package.Deb], timeout: TimeSpan.FromMinutes(10));

        lintian.ExitCode.Should().Be(0, lintian.ToString());
        lintian.Output.Should().NotMatchRegex("(?m)^[EW]: ", lintian.ToString());
    }

    /// <summary>The first line of the conformance corpus: captured from real HAProxy on the shipped schema.</summary>
    private static string CapturedLine() =>
        Corpus.Text("samples.log").Split('\n').First(l => l.StartsWith('<'));

    private async Task<string> Field(string name) =>
        (await ExternalTool.RunAsync("dpkg-deb", ["-f", package.Deb, name])).StdOut.Trim();

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        return false;
    }

    /// <summary>One line of <c>dpkg-deb -c</c>: <c>-rw-r--r-- root/root 1234 2026-12-02 14:00 ./usr/bin/x -> target</c>.</summary>
    private sealed partial record Entry(string Mode, string Owner, string Path, string? Target)
    {
        public static Entry Parse(string line)
        {
            var match = Shape().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"not a dpkg-deb -c line: '{line}'");
            }

            var path = match.Groups["path"].Value.TrimStart('.');
            return new Entry(match.Groups["mode"].Value, match.Groups["owner"].Value, path.Length > 1 ? path.TrimEnd('/') : path, match.Groups["target"].Success ? match.Groups["target"].Value : null);
        }

        [GeneratedRegex(@"^(?<mode>\S{10}) (?<owner>\S+)\s+\d+ \S+ \S+ (?<path>.+?)(?: -> (?<target>.+))?$")]
        private static partial Regex Shape();
    }
}
