namespace HaproxyKafka.Conformance.Reporting;

public static class ReportFormats
{
    public static IReadOnlyDictionary<string, IConformanceReport> All { get; } = new Dictionary<string, IConformanceReport>
    {
        ["text"] = new TextReport(),
        ["json"] = new JsonReport(),
        ["github"] = new GithubReport(),
        ["junit"] = new JunitReport(),
    };
}
