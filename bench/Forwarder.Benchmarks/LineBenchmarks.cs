using System.Text;
using BenchmarkDotNet.Attributes;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Forwarder.Benchmarks;

/// <summary>The hot path per line: RFC 5424 decode, fingerprint check, field mapping, JSON encoding.</summary>
[MemoryDiagnoser]
public class LineBenchmarks
{
    private LineMapper _mapper = null!;
    private JsonBuffer _json = null!;
    private byte[] _typical = null!;
    private byte[] _escaped = null!;

    [GlobalSetup]
    public void Setup()
    {
        var table = ParserTableLoader.Load(Paths.ParserTable);
        _mapper = new LineMapper(table, "cp3050.esams.wmnet", "text", TimeZoneInfo.Utc);
        _json = new JsonBuffer();
        _typical = Encoding.UTF8.GetBytes(SampleLines.Typical(table.Fingerprint));
        _escaped = Encoding.UTF8.GetBytes(SampleLines.Escaped(table.Fingerprint));
    }

    [Benchmark(Baseline = true)]
    public int TypicalLine() => _mapper.Map(_typical, _json).IsMessage ? _json.Length : -1;

    [Benchmark]
    public int EscapedUtf8Line() => _mapper.Map(_escaped, _json).IsMessage ? _json.Length : -1;
}
