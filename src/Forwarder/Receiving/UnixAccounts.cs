using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// User and group ids by name (<c>getpwnam_r</c>, <c>getgrnam_r</c>: the re-entrant forms, so no libc static buffer is
/// shared with anything else in the process) and <c>chown</c>, none of which .NET exposes. Tmds.LibC 0.5.0 has
/// <c>chown</c> but neither lookup nor <c>struct passwd</c>/<c>struct group</c>, so the structs are declared here.
/// </summary>
internal static unsafe partial class UnixAccounts
{
    private const int ERANGE = 34;
    private const int MaxBuffer = 1 << 20;

    public static uint? UserId(string name) => Lookup<Passwd>(name, &getpwnam_r, out var entry) ? entry.Uid : null;

    public static uint? GroupId(string name) => Lookup<Group>(name, &getgrnam_r, out var entry) ? entry.Gid : null;

    /// <summary><c>chown</c>; -1 for an id leaves it unchanged. Returns errno, 0 on success.</summary>
    public static int Chown(string path, uint? user, uint? group) =>
        chown(path, user ?? uint.MaxValue, group ?? uint.MaxValue) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>
    /// Runs <c>getpwnam_r</c> or <c>getgrnam_r</c> with a buffer for the entry's strings, growing it while libc says ERANGE. True when
    /// an entry was found. Any other error (NSS unreachable, ...) reads as "no such name": the caller then leaves the
    /// socket's owner alone and warns, which is the right outcome for both.
    /// </summary>
    private static bool Lookup<T>(string name, delegate*<string, T*, byte*, nuint, void**, int> call, out T entry)
        where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var result = default(T);
        for (var size = 1024; size <= MaxBuffer; size *= 2)
        {
            var buffer = new byte[size];
            fixed (byte* start = buffer)
            {
                void* found = null;
                var error = call(name, &result, start, (nuint)size, &found);
                if (error != ERANGE)
                {
                    entry = result;
                    return error == 0 && found != null;
                }
            }
        }

        entry = default;
        return false;
    }

    // The string fields point into the lookup's buffer and are dead once Lookup returns; only the ids are read.

    /// <summary>glibc's <c>struct passwd</c> (pwd.h), the same on x86_64 and aarch64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Uid;
        public uint Gid;
        public IntPtr Gecos;
        public IntPtr Directory;
        public IntPtr Shell;
    }

    /// <summary>glibc's <c>struct group</c> (grp.h), the same on x86_64 and aarch64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Group
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Gid;
        public IntPtr Members;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int getpwnam_r(string name, Passwd* entry, byte* buffer, nuint size, void** found);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int getgrnam_r(string name, Group* entry, byte* buffer, nuint size, void** found);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int chown(string path, uint owner, uint group);
}
