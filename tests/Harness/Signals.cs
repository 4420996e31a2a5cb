using System.Runtime.InteropServices;

namespace HaproxyKafka.Harness;

/// <summary>
/// SIGTERM, which .NET's Process cannot send (Kill is SIGKILL): what systemd sends on stop; SIGUSR2, what the unit's
/// <c>ExecReload=</c> sends; SIGHUP, the in-place config reload (<c>systemctl kill -s HUP</c>).
/// </summary>
public static partial class Signals
{
    private const int SigTerm = 15;
    private const int SigUsr2 = 12;
    private const int SigHup = 1;

    public static void Terminate(int pid) => Send(pid, SigTerm, "SIGTERM");

    public static void Reload(int pid) => Send(pid, SigUsr2, "SIGUSR2");

    public static void Hangup(int pid) => Send(pid, SigHup, "SIGHUP");

    /// <summary>True once <paramref name="pid"/> is gone or a zombie (a successor is not the test's child, so it cannot be waited for).</summary>
    public static bool HasExited(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return true;
        }
    }

    private static void Send(int pid, int signal, string name)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {name}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
