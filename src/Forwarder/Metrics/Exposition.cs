using System.Globalization;
using System.Text;

namespace HaproxyKafka.Forwarder.Metrics;

/// <summary>The text format's small rules in one place: HELP escaping, label quoting, float spelling.</summary>
internal static class Exposition
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Header(StringBuilder text, string name, string help, string type)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public static void Sample(StringBuilder text, string name, string? labelName, string? labelValue, double value)
    {
        text.Append(name);
        if (labelName is not null)
        {
            text.Append('{').Append(labelName).Append("=\"").Append(EscapeLabel(labelValue ?? string.Empty)).Append("\"}");
        }

        text.Append(' ').Append(Format(value)).Append('\n');
    }

    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
