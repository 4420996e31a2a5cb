using System.Globalization;
using HaproxyKafka.Forwarder.Receiving;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>The ids come from glibc's own lookup, read by field; /etc/passwd and /etc/group are the independent answer.</summary>
public class UnixAccountsTests
{
    [Fact]
    public void Root_is_user_0_and_group_0()
    {
        UnixAccounts.UserId("root").Should().Be(0u);
        UnixAccounts.GroupId("root").Should().Be(0u);
    }

    [Fact]
    public void An_unknown_name_has_no_id()
    {
        UnixAccounts.UserId("haproxykafka-no-such-user").Should().BeNull();
        UnixAccounts.GroupId("haproxykafka-no-such-group").Should().BeNull();
    }

    [Fact]
    public void Every_local_user_has_the_uid_in_etc_passwd()
    {
        // Non-zero ids too: a field read at the wrong place could still find root's zeros.
        var users = LocalEntries("/etc/passwd", idField: 2);
        users.Should().Contain(e => e.Id != 0, "the check must cover more than root");
        foreach (var (name, id) in users)
        {
            UnixAccounts.UserId(name).Should().Be(id, name);
        }
    }

    [Fact]
    public void Every_local_group_has_the_gid_in_etc_group()
    {
        var groups = LocalEntries("/etc/group", idField: 2);
        groups.Should().Contain(e => e.Id != 0, "the check must cover more than root");
        foreach (var (name, id) in groups)
        {
            UnixAccounts.GroupId(name).Should().Be(id, name);
        }
    }

    private static List<(string Name, uint Id)> LocalEntries(string file, int idField) =>
        [.. File.ReadLines(file)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(':'))
            .Select(fields => (fields[0], uint.Parse(fields[idField], CultureInfo.InvariantCulture)))];
}
