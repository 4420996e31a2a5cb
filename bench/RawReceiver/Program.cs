using System.Net.Sockets;
using System.Runtime.InteropServices;

// The race's floor: bind the socket, recv() into one buffer and count, nothing else. On SIGTERM it prints the count
// and exits. Kept minimal on purpose: whatever a forwarder spends above this is its own work.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: race-raw-receiver SOCKET_PATH");
    return 2;
}

var path = args[0];
File.Delete(path);
using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
socket.Bind(new UnixDomainSocketEndPoint(path));
File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
long received = 0;
using var stop = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ =>
{
    Console.WriteLine($"received {Volatile.Read(ref received)}");
    Environment.Exit(0);
});
Console.WriteLine("ready");
var buffer = new byte[65536];
while (true)
{
    socket.Receive(buffer);
    Volatile.Write(ref received, received + 1);
}
