using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>User and group ids by name and <c>chown</c>, which .NET does not expose.</summary>
internal static partial class UnixAccounts
{
    // struct passwd and struct group on x86_64/aarch64 glibc: two pointers, then the id.
    private const int IdOffset = 16;

    public static uint? UserId(string name)
    {
        var entry = getpwnam(name);
        return entry == IntPtr.Zero ? null : (uint)Marshal.ReadInt32(entry, IdOffset);
    }

    public static uint? GroupId(string name)
    {
        var entry = getgrnam(name);
        return entry == IntPtr.Zero ? null : (uint)Marshal.ReadInt32(entry, IdOffset);
    }

    /// <summary><c>chown</c>; -1 for an id leaves it unchanged. Returns errno, 0 on success.</summary>
    public static int Chown(string path, uint? user, uint? group) =>
        chown(path, user ?? uint.MaxValue, group ?? uint.MaxValue) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getpwnam(string name);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getgrnam(string name);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int chown(string path, uint owner, uint group);
}
