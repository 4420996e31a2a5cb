using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>SIGTERM to a process (.NET's <c>Process.Kill</c> sends only SIGKILL).</summary>
internal static partial class ProcessSignals
{
    public const int SigTerm = 15;

    /// <summary>SIGUSR2 on Linux (x86_64 and aarch64 alike); .NET has no <c>PosixSignal</c> member for it.</summary>
    public const int SigUsr2 = 12;

    public static void Terminate(int pid) => _ = kill(pid, SigTerm);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
