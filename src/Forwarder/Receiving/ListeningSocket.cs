using System.Globalization;
using System.Net.Sockets;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Lifecycle;
using HaproxyKafka.Forwarder.Systemd;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// The AF_UNIX datagram socket HAProxy logs to, from one of three places (<see cref="Acquire"/>): a predecessor
/// daemon handing over on SIGUSR2, systemd (<c>haproxykafka.socket</c>), or bound here (production's contract: a
/// stale file is removed, the mode applied, ownership changed when the process may, a large receive buffer
/// requested). Only a socket this daemon's line bound is ever unlinked, and only when no successor reads it: a socket
/// from systemd outlives the process, so the kernel keeps queueing while the daemon is replaced.
/// </summary>
internal sealed class ListeningSocket : IDisposable
{
    // Wakes the receive loop this often while HAProxy is idle, so the watchdog sees it alive and a stop that finds
    // the socket idle is noticed within this time. A socket shared with systemd or a successor cannot be shut down
    // to wake it sooner: shutdown acts on the socket, not on this process's descriptor.
    private const int ReceiveTimeoutMs = 200;

    private volatile bool _handedOver;

    // <sys/socket.h>: SOL_SOCKET, SO_PASSCRED. .NET's SocketOptionName has no member for it.
    private const int SolSocket = 1;
    private const int SoPassCred = 16;

    private ListeningSocket(Socket socket, string path, SocketOrigin origin, bool ownsPath, IReadOnlyList<string> warnings, SenderAllowList? allowedSenders)
    {
        Socket = socket;
        Path = path;
        Origin = origin;
        OwnsPath = ownsPath;
        Warnings = warnings;
        AllowedSenders = allowedSenders;
    }

    public Socket Socket { get; }

    public string Path { get; }

    public SocketOrigin Origin { get; }

    /// <summary>True when this daemon's line created the file (not systemd): it unlinks it when it stops for good.</summary>
    public bool OwnsPath { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// <c>socket.allowed_uids</c>, when set: the socket then has <c>SO_PASSCRED</c> and the receive loop checks each
    /// datagram's sender against it. Null when the key is absent: no credentials are asked for or read.
    /// </summary>
    public SenderAllowList? AllowedSenders { get; }

    public int ReceiveBufferBytes => Socket.ReceiveBufferSize;

    /// <summary>True once a successor has been given the socket: stopping then leaves the file and the socket alone.</summary>
    public bool HandedOver => _handedOver;

    /// <summary>The socket from a predecessor's handover, else from systemd, else bound here.</summary>
    public static ListeningSocket Acquire(SocketSettings settings)
    {
        var activated = SocketActivation.Take();
        if (Handover.FromEnvironment() is { } handover)
        {
            return Adopt(handover.SocketFd, settings, SocketOrigin.Predecessor, handover.OwnsPath, $"{Handover.SocketFdVariable}={handover.SocketFd}");
        }

        if (activated is var (fd, name))
        {
            return Adopt(fd, settings, SocketOrigin.Systemd, ownsPath: false, $"systemd (LISTEN_FDS, fd {fd}{(name is null ? "" : $", name {name}")})");
        }

        return Bind(settings);
    }

    public static ListeningSocket Bind(SocketSettings settings)
    {
        var allowedSenders = SenderAllowList.From(settings);
        var warnings = new List<string>();
        RemoveStale(settings.Path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var bound = false;
        try
        {
            if (settings.ReceiveBufferBytes > 0)
            {
                socket.ReceiveBufferSize = settings.ReceiveBufferBytes;
            }

            // Before the bind, so that no datagram reaches the file without its sender recorded.
            PassCredentials(socket, allowedSenders);
            BindTo(socket, settings.Path);
            bound = true;
            File.SetUnixFileMode(settings.Path, settings.Mode);
            ApplyOwner(settings, warnings);
            WarnIfWorldWritable(settings.Path, warnings);
            socket.ReceiveTimeout = ReceiveTimeoutMs;
            return new ListeningSocket(socket, settings.Path, SocketOrigin.Bound, ownsPath: true, warnings, allowedSenders);
        }
        catch
        {
            socket.Dispose();
            if (bound)
            {
                // The file is ours: a daemon that does not start must not leave a socket nobody reads.
                File.Delete(settings.Path);
            }

            throw;
        }
    }

    /// <summary>
    /// Unlinks the path when stopping for good with a socket this line bound (HAProxy's next send fails at once, as
    /// for a missing socket, instead of filling a queue nobody reads); leaves it when systemd holds the socket or a
    /// successor reads it.
    /// </summary>
    public void StopAccepting()
    {
        if (OwnsPath && !_handedOver)
        {
            File.Delete(Path);
        }
    }

    /// <summary>Wakes a receive loop stuck in <c>recv</c>, when the socket is this process's alone.</summary>
    public void Interrupt()
    {
        if (Origin == SocketOrigin.Bound && !_handedOver)
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
    }

    /// <summary>A successor has the socket: from now on stopping neither unlinks nor shuts it down.</summary>
    public void HandOver() => _handedOver = true;

    /// <summary><c>net.unix.max_dgram_qlen</c>: how many datagrams the kernel queues before HAProxy's sends fail.</summary>
    public static int? MaxDatagramQueueLength()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/net/unix/max_dgram_qlen").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_handedOver && Origin == SocketOrigin.Bound)
        {
            // .NET's Socket.Dispose unlinks a path it bound itself, which would pull the file from under the
            // successor reading it; the descriptor is left to this process's exit instead (finalizers do not run then).
            GC.SuppressFinalize(Socket);
            return;
        }

        Socket.Dispose();
        try
        {
            StopAccepting();
        }
        catch (IOException)
        {
            // Another instance may own the path by now; leaving it is harmless.
        }
    }

    private static ListeningSocket Adopt(int fd, SocketSettings settings, SocketOrigin origin, bool ownsPath, string from)
    {
        var allowedSenders = SenderAllowList.From(settings);
        FileDescriptors.KeepFromChildren(fd);
        Socket socket;
        try
        {
            socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        }
        catch (SocketException e)
        {
            throw new IOException($"the socket passed by {from} is not usable: {e.Message}", e);
        }

        try
        {
            if (socket.AddressFamily != AddressFamily.Unix || socket.SocketType != SocketType.Dgram)
            {
                throw new IOException($"the socket passed by {from} is {socket.AddressFamily}/{socket.SocketType}; haproxykafka needs a unix datagram socket (ListenDatagram= with a path in haproxykafka.socket)");
            }

            var path = (socket.LocalEndPoint as UnixDomainSocketEndPoint)?.ToString();
            if (string.IsNullOrEmpty(path) || CanonicalPath.Of(path) != CanonicalPath.Of(settings.Path))
            {
                throw new IOException($"the socket passed by {from} is bound to '{path}' but socket.path is '{settings.Path}'; make ListenDatagram= in haproxykafka.socket and socket.path in the config name the same file");
            }

            var warnings = new List<string>();
            WarnIfWorldWritable(path, warnings);

            // systemd creates its sockets non-blocking; the receive loop blocks with a timeout. The flag is the
            // socket's, shared with systemd and a predecessor, which read it the same way (systemd only polls).
            socket.Blocking = true;
            socket.ReceiveTimeout = ReceiveTimeoutMs;
            PassCredentials(socket, allowedSenders);
            return new ListeningSocket(socket, path, origin, ownsPath, warnings, allowedSenders);
        }
        catch
        {
            // Closes only this process's descriptor: systemd or the predecessor still hold the socket.
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asks the kernel for each datagram's sender when <c>socket.allowed_uids</c> is set. The option belongs to the
    /// socket, so it also holds for systemd and a predecessor sharing it; it is never switched off here, because a
    /// predecessor still reading during a handover may be checking senders itself (a reader that does not ask for
    /// the credentials simply does not get them). The kernel records a sender only while the option is on: a datagram
    /// queued in a socket from systemd before this call reads as uid 65534 with pid 0, which is why the shipped
    /// socket unit sets <c>PassCredentials=yes</c>.
    /// </summary>
    private static void PassCredentials(Socket socket, SenderAllowList? allowedSenders)
    {
        if (allowedSenders is not null)
        {
            socket.SetRawSocketOption(SolSocket, SoPassCred, BitConverter.GetBytes(1));
        }
    }

    private static void WarnIfWorldWritable(string path, List<string> warnings)
    {
        var mode = File.GetUnixFileMode(path);
        if (mode.HasFlag(UnixFileMode.OtherWrite))
        {
            warnings.Add($"the socket {path} is world-writable (mode {Convert.ToString((int)mode, 8)}): any local user can inject log lines; use mode 0620 with HAProxy's group (socket.mode and socket.group, or SocketMode=0620 and SocketGroup=haproxy in haproxykafka.socket)");
        }
    }

    private static void BindTo(Socket socket, string path)
    {
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            // The error alone does not say which path, and for a missing directory .NET reports "Cannot assign
            // requested address".
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            var why = Directory.Exists(directory) ? e.Message : $"the directory {directory} does not exist";
            throw new IOException($"cannot bind the socket {path}: {why}", e);
        }
    }

    private static void RemoveStale(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            // Nobody is reading it: a leftover from a previous run.
            File.Delete(path);
            return;
        }

        throw new IOException($"{path} is in use by a running process (another haproxykafka?); refusing to take it over");
    }

    private static void ApplyOwner(SocketSettings settings, List<string> warnings)
    {
        if (settings.User is null && settings.Group is null)
        {
            return;
        }

        var user = settings.User is null ? null : UnixAccounts.UserId(settings.User);
        var group = settings.Group is null ? null : UnixAccounts.GroupId(settings.Group);
        if (settings.User is not null && user is null)
        {
            warnings.Add($"socket.user '{settings.User}' does not exist; the socket keeps its owner");
        }

        if (settings.Group is not null && group is null)
        {
            warnings.Add($"socket.group '{settings.Group}' does not exist; the socket keeps its group");
        }

        if (user is null && group is null)
        {
            return;
        }

        var errno = UnixAccounts.Chown(settings.Path, user, group);
        if (errno != 0)
        {
            // Without CAP_CHOWN (tests, a non-root run) only the mode applies; HAProxy writes as "other" anyway.
            warnings.Add($"could not chown {settings.Path} to {settings.User}:{settings.Group} (errno {errno}); mode {Convert.ToString((int)settings.Mode, 8)} still applies");
        }
    }
}
