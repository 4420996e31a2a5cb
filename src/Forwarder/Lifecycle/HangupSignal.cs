using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// SIGHUP, taken from the first moment of <c>haproxykafka -c</c>: its default action would end the process, and an
/// operator (or Puppet, after writing the config) may send it while the daemon is still starting. Until the reload
/// service listens, a SIGHUP is remembered and handed to it when it does, so a config written during start-up is still
/// read.
/// </summary>
internal sealed class HangupSignal : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PosixSignalRegistration _registration;
    private Action? _listener;
    private bool _pending;

    private HangupSignal() => _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

    public static HangupSignal Register() => new();

    /// <summary>From now on each SIGHUP calls <paramref name="onHangup"/> (on the signal thread: it must return at once); one that came before is delivered now.</summary>
    public void Listen(Action onHangup)
    {
        bool pending;
        lock (_gate)
        {
            _listener = onHangup;
            pending = _pending;
            _pending = false;
        }

        if (pending)
        {
            onHangup();
        }
    }

    public void Dispose() => _registration.Dispose();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Action? listener;
        lock (_gate)
        {
            listener = _listener;
            _pending |= listener is null;
        }

        listener?.Invoke();
    }
}
