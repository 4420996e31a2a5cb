using System.Text.Json;
using System.Text.Json.Serialization;

namespace HaproxyKafka.Race;

/// <summary>Results files are read by <c>race report</c> and by bench/Race/plot_race.py: snake_case, rates as numbers.</summary>
public static class RaceJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
