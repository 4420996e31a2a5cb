using System.Runtime.InteropServices;

namespace HaproxyKafka.Harness;

/// <summary>SIGTERM, which .NET's Process cannot send (Kill is SIGKILL): what systemd sends on stop.</summary>
public static partial class Signals
{
    private const int SigTerm = 15;

    public static void Terminate(int pid)
    {
        if (kill(pid, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
