using System.Text;
using FsCheck;
using FsCheck.Fluent;
using HaproxyKafka.Contract;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Decoder.Rfc5424;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

/// <summary>
/// One decoder: whatever the datagram, the checker classifies it as the forwarder does, so a line the checker calls
/// conforming is a line the forwarder maps, and the reason it reports is the forwarder's reason.
/// </summary>
public class DatagramJudgePropertyTests
{
    /// <summary>A line real HAProxy wrote for the shipped schema (the first sample of the corpus), as it arrives on the socket.</summary>
    private static readonly byte[] Captured =
        Encoding.UTF8.GetBytes(Corpus.Text("samples.log").Split('\n').First(l => l.StartsWith('<')) + "\n");

    /// <summary>The forwarder's side, built as the daemon builds it: the checked-in parser table read by the daemon's loader.</summary>
    private static readonly ParserTable DeployedTable = ParserTableLoader.Load(Path.Combine(RepoPaths.Root, "generated", "forwarder", "parser-table.json"));

    [Fact]
    public void The_captured_line_conforms_for_both()
    {
        SameClassification(Captured).Should().BeTrue();
        new DatagramJudge(ShippedExpectations.Value, TimeZoneInfo.Utc).Judge(Captured).Problem.Should().BeNull();
    }

    [Fact]
    public void Random_datagrams_get_the_forwarders_classification_from_the_checker()
    {
        Prop.ForAll(DatagramMutations.RandomBytes.ToArbitrary(), SameClassification).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void Mutated_haproxy_lines_get_the_forwarders_classification_from_the_checker()
    {
        Prop.ForAll(DatagramMutations.Of(Captured).ToArbitrary(), SameClassification).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    private static bool SameClassification(byte[] datagram)
    {
        var forwarder = new LineMapper(DeployedTable, "cp3050.esams.wmnet", "text", TimeZoneInfo.Utc).Map(datagram, new JsonBuffer());
        var checker = new DatagramJudge(ShippedExpectations.Value, TimeZoneInfo.Utc).Judge(datagram);
        var shape = DecodedDatagram.Read(datagram).Shape;

        // The checker may find more wrong with a line the forwarder maps (params not exactly the schema's, in order),
        // never less: every line the forwarder rejects is reported, with the forwarder's reason.
        return checker.Kind == forwarder.Kind && checker.Rejection == forwarder.Rejection &&
               (forwarder.Rejection == Rejection.None || checker.Problem is not null) &&
               (forwarder.Kind != LineKind.Notice || checker.Problem is null) &&
               shape == ShapeOf(forwarder.Kind);
    }

    /// <summary>The structure the checker's decoded view must report for what the forwarder took the line for.</summary>
    private static DatagramShape ShapeOf(LineKind kind) => kind switch
    {
        LineKind.Notice => DatagramShape.NoStructuredData,
        LineKind.Emptied => DatagramShape.Emptied,
        LineKind.Truncated => DatagramShape.Truncated,
        LineKind.Malformed => DatagramShape.Malformed,
        _ => DatagramShape.Structured,
    };
}
