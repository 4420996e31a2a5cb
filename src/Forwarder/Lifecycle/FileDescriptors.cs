using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// The few descriptor calls .NET does not expose. .NET opens every descriptor close-on-exec and its
/// <c>Process.Start</c> closes nothing else, so a descriptor reaches a child exactly when it lacks FD_CLOEXEC:
/// <c>dup</c> makes such a copy, which the parent closes once the child has started.
/// </summary>
internal static partial class FileDescriptors
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;
    private const int FSetFd = 2;
    private const int FdCloexec = 1;

    /// <summary>A copy of <paramref name="fd"/> without FD_CLOEXEC: the next child started inherits it.</summary>
    public static int DupForChild(IntPtr fd)
    {
        var copy = dup((int)fd);
        return copy >= 0 ? copy : throw new IOException($"dup({fd}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>A connected AF_UNIX stream pair, both ends close-on-exec.</summary>
    public static (int Ours, int Theirs) StreamPair()
    {
        Span<int> fds = stackalloc int[2];
        if (socketpair(AfUnix, SockStream | SockCloexec, 0, ref MemoryMarshal.GetReference(fds)) != 0)
        {
            throw new IOException($"socketpair failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (fds[0], fds[1]);
    }

    /// <summary>
    /// Sets FD_CLOEXEC on a descriptor this process inherited (systemd's fd 3, a predecessor's copies), so it does not
    /// leak on into a successor, which gets its own copy explicitly.
    /// </summary>
    public static void KeepFromChildren(int fd) => _ = fcntl(fd, FSetFd, FdCloexec);

    public static void Close(int fd) => _ = close(fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socketpair(int domain, int type, int protocol, ref int fds);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);
}
