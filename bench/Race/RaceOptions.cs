using HaproxyKafka.Race.Receivers;

namespace HaproxyKafka.Race;

/// <summary>What one <c>race run</c> does. Rate null is "max": send back to back.</summary>
public sealed record RaceOptions(
    string OutputDirectory,
    string CorpusPath,
    int CorpusRequests,
    IReadOnlyList<int?> Rates,
    TimeSpan PerRate,
    IReadOnlyList<ReceiverKind> Receivers,
    int SampleSize)
{
    /// <summary>Added to the daemon's environment only (e.g. <c>DOTNET_TieredCompilation=1</c>), to compare runtime settings.</summary>
    public IReadOnlyDictionary<string, string> DaemonEnvironment { get; init; } = new Dictionary<string, string>();

    public static readonly IReadOnlyList<int?> FullRates = [10_000, 25_000, 50_000, null];

    public static RaceOptions Full(string outputDirectory) => new(
        outputDirectory, Path.Combine(outputDirectory, "corpus.bin"), 6000, FullRates, TimeSpan.FromSeconds(10),
        [ReceiverKind.Raw, ReceiverKind.Rsyslog, ReceiverKind.Daemon], 2000);

    /// <summary>For the CI smoke test: a small corpus, one modest rate, two seconds.</summary>
    public static RaceOptions Quick(string outputDirectory) => new(
        outputDirectory, Path.Combine(outputDirectory, "corpus-quick.bin"), 300, [2_000], TimeSpan.FromSeconds(2),
        [ReceiverKind.Raw, ReceiverKind.Rsyslog, ReceiverKind.Daemon], 4000);
}
