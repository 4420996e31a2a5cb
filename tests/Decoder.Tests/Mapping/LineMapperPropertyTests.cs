using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Decoder.Tests.Mapping;

/// <summary>Whatever arrives on the socket, mapping never throws, and whatever it emits is valid JSON.</summary>
public class LineMapperPropertyTests
{
    private static readonly byte[] Valid = ShippedTable.Line(new Dictionary<string, string?> { ["referer"] = "https://x/\\\"q\\\"\\]\\\\" });

    [Fact]
    public void Random_bytes_never_throw_and_any_output_parses()
    {
        Prop.ForAll(DatagramMutations.RandomBytes.ToArbitrary(), Holds).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Mutated_request_lines_never_throw_and_any_output_parses()
    {
        Prop.ForAll(DatagramMutations.Of(Valid).ToArbitrary(), Holds).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    private static bool Holds(byte[] line)
    {
        var buffer = new JsonBuffer();
        var result = ShippedTable.Mapper().Map(line, buffer);
        if (!result.IsMessage)
        {
            return result.Kind != LineKind.Request || result.Rejection != Rejection.None;
        }

        using var document = JsonDocument.Parse(buffer.Written.ToArray());
        return document.RootElement.ValueKind == JsonValueKind.Object &&
               document.RootElement.EnumerateObject().Count() == ShippedTable.Table.Fields.Length + ShippedTable.Table.Added.Length;
    }
}
