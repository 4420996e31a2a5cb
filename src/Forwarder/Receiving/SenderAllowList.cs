using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// The uids <c>socket.allowed_uids</c> admits. The kernel attaches the sender's uid to each datagram once the socket
/// has <c>SO_PASSCRED</c> (<see cref="DatagramBatchReader"/> reads it), and only root, or a process with
/// <c>CAP_SETUID</c>, can claim another one, so a local user without privileges cannot pass as HAProxy.
/// </summary>
internal sealed class SenderAllowList
{
    private readonly uint[] _uids;

    private SenderAllowList(uint[] uids) => _uids = uids;

    public IReadOnlyList<uint> Uids => _uids;

    /// <summary>
    /// The settings with every user name in <c>socket.allowed_uids</c> resolved to its uid on this machine; a name
    /// that does not exist is a config error at the entry's line (the key would otherwise refuse HAProxy's lines).
    /// </summary>
    public static SocketSettings ResolveNames(SocketSettings settings, DiagnosticBag bag)
    {
        if (settings.AllowedSenders.All(s => s.Uid is not null))
        {
            return settings;
        }

        var resolved = settings.AllowedSenders.Select(sender =>
        {
            if (sender.Uid is not null)
            {
                return sender;
            }

            if (UnixAccounts.UserId(sender.Written) is { } uid)
            {
                return sender with { Uid = uid };
            }

            bag.Error(sender.At, $"'socket.allowed_uids' names the user '{sender.Written}', which does not exist on this machine",
                $"create the user, correct the name, or write the uid HAProxy runs as (id -u {sender.Written} where it exists)");
            return sender;
        });
        return settings with { AllowedSenders = [.. resolved] };
    }

    /// <summary>The list to check senders against; null when the key is absent (every sender accepted).</summary>
    /// <exception cref="InvalidOperationException">A name was not resolved with <see cref="ResolveNames"/>.</exception>
    public static SenderAllowList? From(SocketSettings settings)
    {
        if (settings.AllowedSenders.IsEmpty)
        {
            return null;
        }

        var uids = settings.AllowedSenders.Select(s => s.Uid ?? throw new InvalidOperationException(
            $"socket.allowed_uids entry '{s.Written}' ({s.At}) is a name not yet resolved to a uid")).Distinct().Order().ToArray();
        return new SenderAllowList(uids);
    }

    /// <summary>A linear scan: the list holds HAProxy's uid and perhaps one or two more.</summary>
    public bool Allows(uint uid)
    {
        foreach (var allowed in _uids)
        {
            if (allowed == uid)
            {
                return true;
            }
        }

        return false;
    }
}
