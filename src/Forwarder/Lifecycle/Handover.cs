using System.Globalization;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// What a daemon passes to the successor it starts on SIGUSR2, in environment variables of its own (LISTEN_PID cannot
/// name a process before it exists): the socket's descriptor number, whether the successor owns the socket file
/// (unlinks it when it stops for good), and the descriptor of the stream it reports readiness on.
/// </summary>
internal sealed record Handover(int SocketFd, bool OwnsPath, int LinkFd)
{
    public const string SocketFdVariable = "HAPROXYKAFKA_SOCKET_FD";
    public const string OwnsPathVariable = "HAPROXYKAFKA_SOCKET_OWNS_PATH";
    public const string LinkFdVariable = "HAPROXYKAFKA_HANDOVER_FD";

    /// <summary>Variables a successor must not inherit: systemd's socket and watchdog ones name the parent's PID.</summary>
    public static readonly string[] NotInherited = ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "WATCHDOG_PID", SocketFdVariable, OwnsPathVariable, LinkFdVariable];

    /// <summary>The handover this process was started with, or null for a start by systemd or by hand.</summary>
    public static Handover? FromEnvironment()
    {
        var socket = Environment.GetEnvironmentVariable(SocketFdVariable);
        var link = Environment.GetEnvironmentVariable(LinkFdVariable);
        if (socket is null && link is null)
        {
            return null;
        }

        return new Handover(Parse(SocketFdVariable, socket), Environment.GetEnvironmentVariable(OwnsPathVariable) == "1", Parse(LinkFdVariable, link));
    }

    public void WriteTo(IDictionary<string, string?> environment)
    {
        foreach (var name in NotInherited)
        {
            environment.Remove(name);
        }

        environment[SocketFdVariable] = SocketFd.ToString(CultureInfo.InvariantCulture);
        environment[OwnsPathVariable] = OwnsPath ? "1" : "0";
        environment[LinkFdVariable] = LinkFd.ToString(CultureInfo.InvariantCulture);
    }

    private static int Parse(string name, string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var fd) && fd > 2
            ? fd
            : throw new IOException($"{name}='{value}' is not a descriptor number (set by a haproxykafka that hands over its socket; do not set it by hand)");
}
