using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace HaproxyKafka.Forwarder.Systemd;

/// <summary>
/// <c>sd_notify</c> without libsystemd: a datagram to <c>$NOTIFY_SOCKET</c> (a leading <c>@</c> is an abstract name).
/// Outside systemd (no variable) every call is a no-op, so the daemon runs the same under tests.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;

    public SystemdNotifier(string? notifySocket, string? watchdogUsec, string? watchdogPid)
    {
        if (!string.IsNullOrEmpty(notifySocket))
        {
            var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
            _target = new UnixDomainSocketEndPoint(path);
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        }

        var forUs = string.IsNullOrEmpty(watchdogPid) || watchdogPid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (forUs && long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            WatchdogInterval = TimeSpan.FromMicroseconds(usec);
        }
    }

    /// <summary><c>WatchdogSec</c> as systemd passed it; the daemon pings at half of it while it makes progress.</summary>
    public TimeSpan? WatchdogInterval { get; }

    public bool Enabled => _socket is not null;

    public static SystemdNotifier FromEnvironment() => new(
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET"),
        Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
        Environment.GetEnvironmentVariable("WATCHDOG_PID"));

    public void Ready(string status) => Send($"READY=1\nSTATUS={status}\nMAINPID={Environment.ProcessId}");

    public void Stopping() => Send("STOPPING=1");

    public void Watchdog() => Send("WATCHDOG=1");

    public void Status(string status) => Send($"STATUS={status}");

    public void Dispose() => _socket?.Dispose();

    private void Send(string state)
    {
        if (_socket is null)
        {
            return;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _target!);
        }
        catch (SocketException)
        {
            // systemd went away (shutdown); nothing to tell.
        }
    }
}
