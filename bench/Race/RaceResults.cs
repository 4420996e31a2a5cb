namespace HaproxyKafka.Race;

/// <summary>Everything one <c>race run</c> measured at one qlen, as written to results-qN.json.</summary>
public sealed record RaceResults(MachineFacts Machine, int CorpusLines, int CorpusMedianBytes, IReadOnlyList<RunResult> Runs);
