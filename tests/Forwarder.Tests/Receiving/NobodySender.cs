using System.Diagnostics;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

/// <summary>
/// Writes one datagram to a unix socket as uid and gid 65534 with no supplementary groups: util-linux's <c>logger</c>
/// under <c>setpriv</c>, so the kernel records that uid as the sender. The socket must be writable by others and its
/// directories searchable.
/// </summary>
internal static class NobodySender
{
    public const uint Uid = 65534;

    /// <summary>Sends <paramref name="message"/> (behind logger's syslog header); returns the sending process's pid.</summary>
    public static async Task<int> SendAsync(string socketPath, string message)
    {
        Environment.UserName.Should().Be("root", "setpriv can take another uid only as root; the tests run as root in CI");
        var info = new ProcessStartInfo(ExternalTool.Locate("setpriv"))
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", ExternalTool.Locate("logger"), "--socket", socketPath, "--udp", "--socket-errors=on", message])
        {
            info.ArgumentList.Add(argument);
        }

        // setpriv execs logger: the pid the kernel records for the datagram is this process's.
        using var sender = Process.Start(info)!;
        var errors = await sender.StandardError.ReadToEndAsync();
        await sender.WaitForExitAsync();
        sender.ExitCode.Should().Be(0, $"logger as nobody must reach the socket: {errors}");
        return sender.Id;
    }
}
