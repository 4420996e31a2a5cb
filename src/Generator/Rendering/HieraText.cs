namespace HaproxyKafka.Generator.Rendering;

/// <summary>Strings as hiera data: a YAML single-quoted scalar whose hiera interpolation is neutralised.</summary>
public static class HieraText
{
    /// <summary>
    /// Hiera reads <c>%{...}</c> in any value as interpolation, so HAProxy's <c>%{+E}o</c> would come back from
    /// <c>lookup()</c> as <c>o</c>. <c>%{literal("%")}</c> is hiera's spelling of a literal percent sign.
    /// </summary>
    public static string Quote(string value)
    {
        var escaped = value.Replace("%{", "%{literal(\"%\")}{", StringComparison.Ordinal);
        return "'" + escaped.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
