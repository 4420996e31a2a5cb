namespace HaproxyKafka.Generator.Rendering;

/// <summary>Strings as plain YAML data (no hiera interpolation to neutralise): a single-quoted scalar.</summary>
public static class YamlText
{
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
