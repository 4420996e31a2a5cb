using HaproxyKafka.Contract;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests;

/// <summary>The checked-in generated parser table, as the daemon loads it, and a mapper on it.</summary>
internal static class ShippedTable
{
    public const string Host = "cp9999.test.wmnet";

    public static readonly ParserTable Table = ParserTableLoader.Load(Path.Combine(RepoPaths.Generated, "forwarder", "parser-table.json"));

    public static string Topic => Table.Clusters["text"];

    public static string DlqTopic => Table.DlqTopic;

    public static LineMapper Mapper() => new(Table, Host, Table.ClusterOf(Topic), TimeZoneInfo.Utc);
}
