using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Config.Tests;

/// <summary><c>socket.allowed_uids</c>: uids are read here, names kept for the daemon to resolve, mistakes named.</summary>
public class AllowedUidsConfigTests
{
    // The key goes under socket:, after production's last socket key.
    private static string With(string entries) =>
        ForwarderConfigLoaderTests.Production.Replace("  batch_deadline: 1000ms\nlogparser:", "  batch_deadline: 1000ms\n  allowed_uids:" + entries + "\nlogparser:", StringComparison.Ordinal);

    [Fact]
    public void Without_the_key_every_sender_is_accepted()
    {
        ForwarderConfigLoader.Load(ForwarderConfigLoaderTests.Production, "config.yaml").Config!.Socket.AllowedSenders.Should().BeEmpty();
    }

    [Fact]
    public void Uids_are_read_and_names_are_kept_with_their_lines()
    {
        var result = ForwarderConfigLoader.Load(With("\n    - haproxy\n    - 0\n    - '4294967294'"), "config.yaml");

        result.Diagnostics.Where(d => d.Severity == Severity.Error).Should().BeEmpty();
        result.Config!.Socket.AllowedSenders.Should().Equal(
            new AllowedSender("haproxy", null, new SourceLocation("config.yaml", 13, 7)),
            new AllowedSender("0", 0, new SourceLocation("config.yaml", 14, 7)),
            new AllowedSender("4294967294", 4294967294, new SourceLocation("config.yaml", 15, 7)));
        result.Config.At("socket.allowed_uids").Should().Be(new SourceLocation("config.yaml", 12, 3));
    }

    [Fact]
    public void A_flow_list_reads_the_same()
    {
        var config = ForwarderConfigLoader.Load(With(" [haproxy, 115]"), "config.yaml").Config!;

        config.Socket.AllowedSenders.Select(s => (s.Written, s.Uid)).Should().Equal(("haproxy", (uint?)null), ("115", 115u));
    }

    [Theory]
    [InlineData(" []", "config.yaml:12:3: error: 'socket.allowed_uids' is an empty list, which would refuse every datagram; list HAProxy's user (e.g. '- haproxy'), or remove the key to accept every sender the socket's mode lets write")]
    [InlineData(" haproxy", "config.yaml:12:17: error: 'socket.allowed_uids' must be a list; write each entry on its own '- ' line under 'allowed_uids:' (uids or user names, e.g. '- haproxy')")]
    [InlineData(" [-1]", "config.yaml:12:18: error: 'socket.allowed_uids' has '-1', neither a uid nor a user name; write a uid (e.g. '- 0', 4294967294 at most) or a user name (e.g. '- haproxy'), one per '- ' line")]
    [InlineData(" [4294967295]", "config.yaml:12:18: error: 'socket.allowed_uids' has '4294967295', neither a uid nor a user name; write a uid (e.g. '- 0', 4294967294 at most) or a user name (e.g. '- haproxy'), one per '- ' line")]
    [InlineData("\n    - ha proxy", "config.yaml:13:7: error: 'socket.allowed_uids' has 'ha proxy', neither a uid nor a user name; write a uid (e.g. '- 0', 4294967294 at most) or a user name (e.g. '- haproxy'), one per '- ' line")]
    [InlineData("\n    - [0]", "config.yaml:13:7: error: 'socket.allowed_uids' has '[ 0 ]', neither a uid nor a user name; write a uid (e.g. '- 0', 4294967294 at most) or a user name (e.g. '- haproxy'), one per '- ' line")]
    public void A_mistake_names_the_file_line_and_fix(string entries, string expected)
    {
        var result = ForwarderConfigLoader.Load(With(entries), "config.yaml");

        result.Config.Should().BeNull();
        result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).Should().Equal(expected);
    }
}
