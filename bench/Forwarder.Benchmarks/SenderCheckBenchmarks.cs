using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using HaproxyKafka.Diagnostics;
using HaproxyKafka.Forwarder.Config;
using HaproxyKafka.Forwarder.Receiving;

namespace HaproxyKafka.Forwarder.Benchmarks;

/// <summary>
/// What <c>socket.allowed_uids</c> costs per datagram: a real unix datagram socket, a sender writing typical ~1 KB lines
/// and the daemon's <see cref="DatagramBatchReader"/> reading them in one <c>recvmmsg</c> per batch, without and with
/// <c>SO_PASSCRED</c> plus the per-datagram check. Batches of 8 stay under <c>net.unix.max_dgram_qlen</c> 10, so the
/// sender never blocks. Both sides' CPU is in the figure: the kernel records the sender at the send.
/// </summary>
[MemoryDiagnoser]
public class SenderCheckBenchmarks
{
    private const int Batch = 8;

    private string _directory = null!;
    private ListeningSocket _socket = null!;
    private DatagramBatchReader _reader = null!;
    private SenderAllowList? _allowed;
    private Socket _sender = null!;
    private byte[] _line = null!;

    [Params(false, true)]
    public bool AllowedUids { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("hk-bench-").FullName;
        AllowedSender[] senders = AllowedUids ? [new AllowedSender("0", 0, new SourceLocation("bench", 1, 1))] : [];
        var settings = new SocketSettings(Path.Combine(_directory, "in.sock"), UnixFileMode.UserRead | UnixFileMode.UserWrite, null, null, 1 << 20, TimeSpan.FromSeconds(1), 4 << 20)
        {
            AllowedSenders = [.. senders],
        };
        _socket = ListeningSocket.Bind(settings);
        _allowed = _socket.AllowedSenders;
        _reader = new DatagramBatchReader(_socket.Socket, 64, 65536 + 512, readSenders: _allowed is not null);
        _sender = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _sender.Connect(new UnixDomainSocketEndPoint(_socket.Path));
        var table = HaproxyKafka.Contract.ParserTableLoader.Load(Paths.ParserTable);
        _line = Encoding.UTF8.GetBytes(SampleLines.Typical(table.Fingerprint));
    }

    /// <summary>
    /// CPU seconds (user + system, this process: sender and reader) per million datagrams, without and with the check,
    /// in alternating rounds: on a shared machine CPU time says more than BenchmarkDotNet's wall-clock figures.
    /// </summary>
    public static int CpuRun(int datagrams, int rounds, TextWriter output)
    {
        var totals = new Dictionary<bool, TimeSpan> { [false] = TimeSpan.Zero, [true] = TimeSpan.Zero };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var allowedUids in new[] { false, true })
            {
                var bench = new SenderCheckBenchmarks { AllowedUids = allowedUids };
                bench.Setup();
                var before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                for (var i = 0; i < datagrams / Batch; i++)
                {
                    bench.SendReceiveCheck();
                }

                var used = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before;
                bench.Cleanup();
                totals[allowedUids] += used;
                output.WriteLine(FormattableString.Invariant($"round {round + 1}: allowed_uids {(allowedUids ? "set   " : "absent")} {used.TotalSeconds * 1e6 / datagrams:F3} CPU s per million datagrams"));
            }
        }

        foreach (var (allowedUids, used) in totals)
        {
            output.WriteLine(FormattableString.Invariant($"all rounds: allowed_uids {(allowedUids ? "set   " : "absent")} {used.TotalSeconds * 1e6 / ((double)datagrams * rounds):F3} CPU s per million datagrams"));
        }

        return 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _reader.Dispose();
        _socket.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Per datagram: its send, its share of one <c>recvmmsg</c>, and (with the key) reading and checking the sender.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int SendReceiveCheck()
    {
        for (var i = 0; i < Batch; i++)
        {
            _sender.Send(_line);
        }

        var accepted = 0;
        var received = 0;
        while (received < Batch)
        {
            var count = _reader.Receive(wait: false);
            for (var i = 0; i < count; i++)
            {
                if (_allowed is null || (_reader.TryGetSender(i, out var sender) && _allowed.Allows(sender.Uid)))
                {
                    accepted += _reader.Datagram(i).Length > 0 ? 1 : 0;
                }
            }

            received += Math.Max(count, 0);
        }

        // A check that refused this process's own lines would measure nothing.
        return accepted == Batch ? accepted : throw new InvalidOperationException($"{accepted} of {Batch} datagrams accepted");
    }
}
