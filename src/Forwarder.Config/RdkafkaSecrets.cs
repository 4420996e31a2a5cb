namespace HaproxyKafka.Forwarder.Config;

/// <summary>
/// Which <c>kafka.rdkafka</c> values are secrets (<c>sasl.password</c>, <c>ssl.key.password</c>, JAAS and OAuth settings,
/// ...): everything that prints a value (/debug/state, config diagnostics in the journal and in CI output) prints
/// <see cref="Redacted"/> for these instead. A file location is not a secret and stays readable.
/// </summary>
public static class RdkafkaSecrets
{
    public const string Redacted = "<redacted>";

    private static readonly string[] SecretWords = ["password", "secret", "key", "token", "sasl", "jaas"];

    public static bool IsSecret(string name) =>
        SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)) && !name.EndsWith(".location", StringComparison.Ordinal);

    /// <summary>The value as it may be shown: <see cref="Redacted"/> for a secret.</summary>
    public static string Shown(RdkafkaProperty property) => IsSecret(property.Name) ? Redacted : property.Value;
}
