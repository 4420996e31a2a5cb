using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HaproxyKafka.Contract;

/// <summary>Writes a parser table as the generator ships it: indented, '\n' line ends, a final newline.</summary>
public static class ParserTableWriter
{
    private static readonly JsonWriterOptions Layout = new()
    {
        Indented = true,
        NewLine = "\n",

        // The file is read by the forwarder, never embedded in HTML: keep quotes and '+' readable instead of \u0027.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(ParserTable table)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Layout))
        {
            JsonSerializer.Serialize(writer, table, ParserTableJsonContext.Default.ParserTable);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
