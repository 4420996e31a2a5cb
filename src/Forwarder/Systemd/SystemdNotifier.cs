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

    // A successor says nothing to systemd until its predecessor has made it the main PID (with NotifyAccess=main
    // systemd would refuse, and log, every message before that); a predecessor says nothing once it has.
    private volatile bool _muted;

    public SystemdNotifier(string? notifySocket, string? watchdogUsec, string? watchdogPid, bool successor = false)
    {
        _muted = successor;
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
        Environment.GetEnvironmentVariable("WATCHDOG_PID"),
        successor: Environment.GetEnvironmentVariable(Lifecycle.Handover.LinkFdVariable) is not null);

    public void Ready(string status) => Send($"READY=1\nSTATUS={status}\nMAINPID={Environment.ProcessId}");

    public void Stopping() => Send("STOPPING=1");

    public void Watchdog() => Send("WATCHDOG=1");

    public void Status(string status) => Send($"STATUS={status}");

    /// <summary>
    /// Makes <paramref name="successor"/> the service's main PID (sent by this process while it is still the main one,
    /// so <c>NotifyAccess=main</c> suffices), then falls silent: systemd would refuse its messages from now on.
    /// </summary>
    public void HandOff(int successor, string status)
    {
        Send(string.Create(CultureInfo.InvariantCulture, $"MAINPID={successor}\nSTATUS={status}"));
        _muted = true;
    }

    /// <summary>A successor, now the main PID: it speaks to systemd from here on.</summary>
    public void TakeOver(string status)
    {
        _muted = false;
        Send($"STATUS={status}");
    }

    public void Dispose() => _socket?.Dispose();

    private void Send(string state)
    {
        if (_socket is null || _muted)
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
