using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// A socket path with its directory's symlinks resolved (<c>realpath</c>), so the config's
/// <c>/var/run/haproxykafka/haproxykafka.sock</c> and the unit's <c>/run/haproxykafka/haproxykafka.sock</c> compare equal.
/// </summary>
internal static partial class CanonicalPath
{
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (directory is null)
        {
            return full;
        }

        var resolved = realpath(directory, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return full;
        }

        try
        {
            return Path.Combine(Marshal.PtrToStringUTF8(resolved)!, Path.GetFileName(full));
        }
        finally
        {
            free(resolved);
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
