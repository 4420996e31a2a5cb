using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// <c>struct ucred</c>: who sent a datagram, as the kernel recorded it at the send (<c>SCM_CREDENTIALS</c>). The pid is
/// the sending process's in this daemon's pid namespace, 0 when it runs in another.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct SenderCredentials(int pid, uint uid, uint gid)
{
    public int Pid { get; } = pid;

    public uint Uid { get; } = uid;

    public uint Gid { get; } = gid;
}
