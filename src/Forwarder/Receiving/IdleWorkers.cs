using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// Where workers with nothing to do sleep, and how the receive thread wakes one: a Linux futex on a generation word.
/// A wake is one <c>futex(FUTEX_WAKE)</c> and only when a worker sleeps; a sleep is one <c>futex(FUTEX_WAIT)</c>; no
/// lock is shared between the two sides and nothing spins.
/// </summary>
/// <remarks>
/// A <see cref="Monitor"/> cannot do this: a pulse must be sent holding the lock the woken thread then has to take
/// again, so each wake cost the receive thread two futex calls and the worker a spin on the monitor (measured with
/// <c>strace</c>, docs/benchmarks.md). The protocol: a worker <see cref="Announce"/>s itself (full fence), looks at
/// the queue once more and <see cref="Sleep"/>s on the generation it read before announcing; a publisher makes its
/// lines visible, fences and <see cref="WakeOne"/>s, which bumps the generation (so a sleep on the old one returns
/// at once) and wakes a sleeper only if one is announced. Either the worker's last look sees the lines or the
/// publisher sees the worker.
/// </remarks>
internal sealed unsafe partial class IdleWorkers
{
    private const int FutexWaitPrivate = 128 | 0;
    private const int FutexWakePrivate = 128 | 1;

    private static readonly nint FutexSyscall = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        var other => throw new PlatformNotSupportedException($"futex syscall number unknown for {other}"),
    };

    // Pinned (pinned object heap), so the kernel's futex address never moves; freed with this object.
    private readonly int[] _generation = GC.AllocateArray<int>(1, pinned: true);
    private int _sleepers;

    /// <summary>Workers announced as going to sleep (some may be about to look once more and not sleep).</summary>
    public int Sleepers => Volatile.Read(ref _sleepers);

    /// <summary>A worker is about to sleep: returns the generation to pass to <see cref="Sleep"/> or <see cref="Withdraw"/>.</summary>
    public int Announce()
    {
        var generation = Volatile.Read(ref _generation[0]);
        Interlocked.Increment(ref _sleepers);
        return generation;
    }

    /// <summary>Sleeps until a wake after <paramref name="generation"/> (returns at once if one came already), then un-announces.</summary>
    /// <remarks>It may also return early (a signal, a spurious wake): callers look at the queue again anyway.</remarks>
    public void Sleep(int generation)
    {
        fixed (int* word = _generation)
        {
            Futex(FutexSyscall, word, FutexWaitPrivate, generation, null);
        }

        Interlocked.Decrement(ref _sleepers);
    }

    /// <summary>The last look found work: the announced worker does not sleep after all.</summary>
    public void Withdraw() => Interlocked.Decrement(ref _sleepers);

    /// <summary>After lines were made visible (the caller fenced): wakes one sleeping worker, if any announced.</summary>
    public void WakeOne()
    {
        if (Volatile.Read(ref _sleepers) > 0)
        {
            Wake(1);
        }
    }

    /// <summary>Wakes every worker, announced or about to be (completion).</summary>
    public void WakeAll() => Wake(int.MaxValue);

    private void Wake(int count)
    {
        Interlocked.Increment(ref _generation[0]);
        fixed (int* word = _generation)
        {
            Futex(FutexSyscall, word, FutexWakePrivate, count, null);
        }
    }

    // glibc's syscall(2) only moves its arguments into registers (no va_list), so calling it with a fixed argument
    // list is sound on x86-64 and arm64.
    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Futex(nint number, int* address, int operation, int value, void* timeout);
}
