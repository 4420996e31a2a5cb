namespace HaproxyKafka.Race.Receivers;

/// <summary>Where one run happens: its scratch directory, the socket the sender writes to, the broker and topics.</summary>
public sealed record RaceSetting(string Scratch, string SocketPath, string Brokers, string Topic, string DlqTopic, string Hostname, string PeersDirectory, string ParserTable)
{
    /// <summary>A peer's config from bench/peers with its <c>@NAME@</c> placeholders filled in.</summary>
    public string Render(string peerFile, IReadOnlyDictionary<string, string> values)
    {
        var text = File.ReadAllText(Path.Combine(PeersDirectory, peerFile));
        foreach (var (name, value) in values)
        {
            text = text.Replace($"@{name}@", value, StringComparison.Ordinal);
        }

        return text;
    }
}
