using BenchmarkDotNet.Attributes;
using HaproxyKafka.Contract;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Race.Corpus;

namespace HaproxyKafka.Forwarder.Benchmarks;

/// <summary>
/// The line path over the race's corpus: every datagram real HAProxy wrote for it (browsers, bots, long queries,
/// UTF-8 and invalid UTF-8, escapes, <c>&lt;BADREQ&gt;</c>), mapped in turn; the figure is per line. The corpus (~6 MB)
/// does not fit in the caches, so reading each line from memory is part of it, where the daemon maps datagrams it
/// has just received.
/// </summary>
[MemoryDiagnoser]
public class CorpusBenchmarks
{
    private const int LinesPerInvoke = 6000;

    private LineMapper _mapper = null!;
    private JsonBuffer _json = null!;
    private byte[][] _lines = null!;

    [GlobalSetup]
    public void Setup()
    {
        var table = ParserTableLoader.Load(Paths.ParserTable);
        var path = Environment.GetEnvironmentVariable("HAPROXYKAFKA_CORPUS") ?? Path.Combine(Paths.Root, "bench", "out", "race", "corpus.bin");
        var corpus = CorpusFile.TryRead(path) ??
            throw new FileNotFoundException($"no race corpus at {path}: 'scripts/bench race' makes it (or set HAPROXYKAFKA_CORPUS to one)", path);
        if (corpus.Fingerprint != table.Fingerprint)
        {
            throw new InvalidOperationException($"{path} was made for schema fingerprint {corpus.Fingerprint}, not {table.Fingerprint}: delete it and run 'scripts/bench race' to remake it");
        }

        _mapper = new LineMapper(table, "cp3050.esams.wmnet", "text", TimeZoneInfo.Utc);
        _json = new JsonBuffer();
        _lines = [.. Enumerable.Range(0, LinesPerInvoke).Select(i => corpus.Datagrams[i % corpus.Datagrams.Count])];
    }

    [Benchmark(OperationsPerInvoke = LinesPerInvoke)]
    public int CorpusLine()
    {
        var bytes = 0;
        foreach (var line in _lines)
        {
            bytes += _mapper.Map(line, _json).IsMessage ? _json.Length : 0;
        }

        return bytes;
    }
}
