using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HaproxyKafka.Race;
using HaproxyKafka.Race.Receivers;
using HaproxyKafka.Race.Report;

// race run    [--quick] [--out DIR] [--seconds N] [--rates 10000,25000,50000,max] [--receivers raw,rsyslog,daemon] [--daemon-env NAME=VALUE ...]
// race report --out DIR --docs DIR   (tables into DIR/race.md and docs/benchmarks.md's "## Race" section)
// scripts/bench race runs both at qlen 10 and 512 and draws the plots.
var outOption = new Option<DirectoryInfo>("--out") { Description = "where results and the cached corpus go", DefaultValueFactory = _ => new DirectoryInfo("bench/out/race") };
var quick = new Option<bool>("--quick") { Description = "small corpus, one rate (2000 lines/s for 2 s): the CI smoke run" };
var seconds = new Option<int?>("--seconds") { Description = "seconds per offered rate (default 10)" };
var rates = new Option<string?>("--rates") { Description = "comma-separated lines/s, 'max' for back to back (default 10000,25000,50000,max)" };
var receivers = new Option<string?>("--receivers") { Description = "comma-separated: raw, rsyslog, daemon (default all three)" };
var daemonEnv = new Option<string[]>("--daemon-env") { Description = "NAME=VALUE added to the daemon's environment only (repeatable), to compare runtime settings A/B" };
var run = new Command("run", "race the receivers at the current net.unix.max_dgram_qlen; writes results-qN.json") { outOption, quick, seconds, rates, receivers, daemonEnv };
run.SetAction(async (parse, _) =>
{
    var output = parse.GetValue(outOption)!.FullName;
    var options = parse.GetValue(quick) ? RaceOptions.Quick(output) : RaceOptions.Full(output);
    if (parse.GetValue(seconds) is { } s)
    {
        options = options with { PerRate = TimeSpan.FromSeconds(s) };
    }

    if (parse.GetValue(rates) is { } r)
    {
        options = options with { Rates = [.. r.Split(',').Select(x => x == "max" ? (int?)null : int.Parse(x, CultureInfo.InvariantCulture))] };
    }

    if (parse.GetValue(receivers) is { } k)
    {
        options = options with { Receivers = [.. k.Split(',').Select(x => Enum.Parse<ReceiverKind>(x, ignoreCase: true))] };
    }

    if (parse.GetValue(daemonEnv) is { Length: > 0 } env)
    {
        options = options with { DaemonEnvironment = env.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty) };
    }

    Directory.CreateDirectory(output);
    var results = await RaceRunner.RunAsync(options, Console.Out);
    var file = Path.Combine(output, $"results-q{results.Machine.Qlen}.json");
    await File.WriteAllTextAsync(file, JsonSerializer.Serialize(results, RaceJson.Options));
    Console.WriteLine($"race: wrote {file}");
    return 0;
});

var docs = new Option<DirectoryInfo>("--docs") { Description = "the docs directory: benchmarks.md gets the '## Race' section, images are linked from bench/", DefaultValueFactory = _ => new DirectoryInfo("docs") };
var command = new Option<string>("--command") { Description = "the command line to print beside the figures", DefaultValueFactory = _ => "scripts/bench race" };
var note = new Option<string?>("--note") { Description = "a sentence about the conditions of this run (e.g. taken under load)" };
var report = new Command("report", "write the tables of every results-qN.json in --out into race.md and docs/benchmarks.md") { outOption, docs, command, note };
report.SetAction(parse =>
{
    var output = parse.GetValue(outOption)!.FullName;
    var all = Directory.GetFiles(output, "results-q*.json").Order(StringComparer.Ordinal)
        .Select(f => JsonSerializer.Deserialize<RaceResults>(File.ReadAllText(f), RaceJson.Options)!).OrderBy(r => r.Machine.Qlen).ToList();
    if (all.Count == 0)
    {
        Console.Error.WriteLine($"race report: no results-q*.json in {output}; run 'race run' first");
        return 1;
    }

    var section = RaceReport.Markdown(all, parse.GetValue(command)!, parse.GetValue(note));
    File.WriteAllText(Path.Combine(output, "race.md"), section);
    var benchmarks = Path.Combine(parse.GetValue(docs)!.FullName, "benchmarks.md");
    File.WriteAllText(benchmarks, RaceReport.ReplaceSection(File.ReadAllText(benchmarks), section));
    Console.WriteLine($"race: tables in {Path.Combine(output, "race.md")} and {benchmarks}");
    return 0;
});

return await new RootCommand("The end-to-end race: raw recv() floor, rsyslog + omkafka and haproxykafka on real HAProxy datagrams.") { run, report }.Parse(args).InvokeAsync();
