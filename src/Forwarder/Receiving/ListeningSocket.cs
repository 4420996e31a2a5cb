using System.Globalization;
using System.Net.Sockets;
using HaproxyKafka.Forwarder.Config;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// The AF_UNIX datagram socket HAProxy logs to. The daemon creates it (production's contract): a stale file is
/// removed, the mode applied, ownership changed when the process may, and a large receive buffer requested.
/// </summary>
internal sealed class ListeningSocket : IDisposable
{
    private ListeningSocket(Socket socket, string path, IReadOnlyList<string> warnings)
    {
        Socket = socket;
        Path = path;
        Warnings = warnings;
    }

    public Socket Socket { get; }

    public string Path { get; }

    public IReadOnlyList<string> Warnings { get; }

    public int ReceiveBufferBytes => Socket.ReceiveBufferSize;

    public static ListeningSocket Bind(SocketSettings settings)
    {
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

            BindTo(socket, settings.Path);
            bound = true;
            File.SetUnixFileMode(settings.Path, settings.Mode);
            ApplyOwner(settings, warnings);

            // Wakes the receive loop once a second so the watchdog sees it alive while HAProxy is idle.
            socket.ReceiveTimeout = 1000;
            return new ListeningSocket(socket, settings.Path, warnings);
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
        Socket.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Another instance may own the path by now; leaving it is harmless.
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
