namespace HaproxyKafka.Conformance;

/// <summary>What <c>check</c> was asked to prove; every path is as given on the command line, so findings repeat it.</summary>
public sealed record CheckRequest(
    string SchemaPath,
    IReadOnlyList<string> HaproxyConfigs,
    IReadOnlyList<string> Hiera,
    string? ForwarderConfig,
    string? ParserTable,
    string? Samples,
    string? Generated,
    bool Live,
    string HaproxyBinary = "haproxy",
    string? Messages = null,
    string? HieraKeys = null)
{
    public IEnumerable<string> InputFiles =>
        HaproxyConfigs.Concat(Hiera).Concat(new[] { ForwarderConfig, ParserTable, Samples, Messages, HieraKeys }.OfType<string>());

    public bool AsksForAnything =>
        HaproxyConfigs.Count > 0 || Hiera.Count > 0 || ForwarderConfig is not null || ParserTable is not null || Samples is not null || Messages is not null || Generated is not null || Live;
}
