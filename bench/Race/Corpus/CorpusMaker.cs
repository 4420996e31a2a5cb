using System.Net.Sockets;
using HaproxyKafka.Loopback;

namespace HaproxyKafka.Race.Corpus;

/// <summary>
/// Makes the corpus the way production makes its lines: real HAProxy on the generated fragments, on loopback, logging
/// to a unix datagram socket read here; only request lines (the schema's SD element) are kept, not HAProxy's notices.
/// </summary>
public static class CorpusMaker
{
    public static async Task<CorpusFile> MakeAsync(string generatedDirectory, string fingerprint, string sdId, int requests, TextWriter log)
    {
        var scratch = Directory.CreateTempSubdirectory("race-corpus-");
        try
        {
            var socketPath = Path.Combine(scratch.FullName, "corpus.sock");
            using var receiver = new UnixDatagramReceiver(socketPath);
            var frontPort = FreePort.Next();
            var config = Path.Combine(scratch.FullName, "haproxy.cfg");
            await File.WriteAllTextAsync(config, CorpusHaproxyConfig.Build(GeneratedFragments.FromDirectory(generatedDirectory), socketPath, frontPort, FreePort.Next(), FreePort.Next()));
            await using var haproxy = await HaproxyProcess.StartAsync(config, frontPort);
            log.WriteLine($"corpus: HAProxy {haproxy.Version} on {config}, {requests} requests");

            var marker = System.Text.Encoding.ASCII.GetBytes($"[{sdId} ");
            var lines = new List<byte[]>();
            using var done = new CancellationTokenSource();
            var collecting = Task.Run(async () =>
            {
                while (true)
                {
                    byte[] datagram;
                    try
                    {
                        datagram = await receiver.ReceiveAsync(TimeSpan.FromSeconds(2));
                    }
                    catch (OperationCanceledException) when (done.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (OperationCanceledException)
                    {
                        continue;
                    }

                    if (datagram.AsSpan().IndexOf(marker) >= 0)
                    {
                        lines.Add(datagram);
                    }
                }
            });

            // A few connections at a time: HAProxy's log socket here may hold only 10 datagrams (max_dgram_qlen).
            await Parallel.ForEachAsync(CorpusRequests.Make(requests), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) => await SendAsync(frontPort, request));
            await done.CancelAsync();
            await collecting;
            var corpus = new CorpusFile(fingerprint, lines);
            log.WriteLine($"corpus: {lines.Count} request lines from {requests} requests, median {corpus.MedianBytes} B");
            return corpus;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static async Task SendAsync(int port, CorpusRequest request)
    {
        try
        {
            switch (request.Behaviour)
            {
                case ClientBehaviour.CloseAtOnce:
                    using (var client = new TcpClient())
                    {
                        await client.ConnectAsync("127.0.0.1", port);
                    }

                    break;
                case ClientBehaviour.Stall:
                    using (var client = new TcpClient())
                    {
                        await client.ConnectAsync("127.0.0.1", port);
                        await client.GetStream().WriteAsync(request.Bytes);
                        using var reader = new StreamReader(client.GetStream());
                        await reader.ReadToEndAsync();
                    }

                    break;
                default:
                    await RawHttp.SendAsync(port, request.Bytes);
                    break;
            }
        }
        catch (IOException)
        {
            // HAProxy closing a broken request's connection is part of what is being logged.
        }
        catch (SocketException)
        {
        }
    }
}
