using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using HaproxyKafka.Decoder.Mapping;

namespace HaproxyKafka.Decoder.Tests.Mapping;

/// <summary>Whatever arrives on the socket, mapping never throws, and whatever it emits is valid JSON.</summary>
public class LineMapperPropertyTests
{
    private static readonly byte[] Valid = ShippedTable.Line(new Dictionary<string, string?> { ["referer"] = "https://x/\\\"q\\\"\\]\\\\" });
    private static readonly byte[] Interesting = [(byte)'"', (byte)'\\', (byte)']', (byte)'[', (byte)' ', (byte)'=', (byte)'-', 0x00, 0x0A, 0x7F, 0x80, 0xC3, 0xE6, 0xF0, 0xFF];

    [Fact]
    public void Random_bytes_never_throw_and_any_output_parses()
    {
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf();
        Prop.ForAll(bytes.ToArbitrary(), Holds).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Mutated_request_lines_never_throw_and_any_output_parses()
    {
        // Flip, insert, delete and truncate on a real line: inputs that get deep into the SD and value paths.
        var mutation =
            from count in Gen.Choose(1, 6)
            from edits in Gen.Choose(0, Valid.Length - 1).Zip(Gen.Choose(0, 3)).Zip(Gen.Elements(Interesting)).ArrayOf(count)
            from cut in Gen.Choose(1, Valid.Length)
            select Apply(edits, cut);
        Prop.ForAll(mutation.ToArbitrary(), Holds).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    private static byte[] Apply(((int At, int Kind) Edit, byte Value)[] edits, int cut)
    {
        var line = Valid.ToList();
        foreach (var ((at, kind), value) in edits)
        {
            if (line.Count == 0)
            {
                // An earlier truncation emptied the line; the empty datagram is itself a case worth mapping.
                break;
            }

            var position = Math.Min(at, line.Count - 1);
            switch (kind)
            {
                case 0:
                    line[position] = value;
                    break;
                case 1:
                    line.Insert(position, value);
                    break;
                case 2:
                    line.RemoveAt(position);
                    break;
                default:
                    line.RemoveRange(Math.Min(cut, line.Count), line.Count - Math.Min(cut, line.Count));
                    break;
            }
        }

        return [.. line];
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
