using System.Globalization;

namespace HaproxyKafka.Forwarder.Systemd;

/// <summary>
/// <c>sd_listen_fds</c> without libsystemd: the socket systemd passes as fd 3 when <c>LISTEN_PID</c> is this process.
/// The variables are removed once read, so no child of the daemon mistakes them for its own.
/// </summary>
internal static class SocketActivation
{
    public const int FirstFd = 3;

    /// <summary>Fd 3 and its name when systemd passed exactly one socket to this process; null when it passed none.</summary>
    public static (int Fd, string? Name)? Take()
    {
        var pid = Environment.GetEnvironmentVariable("LISTEN_PID");
        var count = Environment.GetEnvironmentVariable("LISTEN_FDS");
        var names = Environment.GetEnvironmentVariable("LISTEN_FDNAMES");
        Environment.SetEnvironmentVariable("LISTEN_PID", null);
        Environment.SetEnvironmentVariable("LISTEN_FDS", null);
        Environment.SetEnvironmentVariable("LISTEN_FDNAMES", null);
        if (pid is null || pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0)
        {
            return null;
        }

        if (n != 1)
        {
            throw new IOException($"systemd passed {n} sockets (LISTEN_FDS={n}, names '{names}'); haproxykafka takes exactly one: give haproxykafka.socket a single ListenDatagram=");
        }

        return (FirstFd, string.IsNullOrEmpty(names) ? null : names);
    }
}
