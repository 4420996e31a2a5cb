using System.Text;
using BenchmarkDotNet.Attributes;
using HaproxyKafka.Contract;
using HaproxyKafka.Decoder.Mapping;
using HaproxyKafka.Decoder.Rfc5424;

namespace HaproxyKafka.Forwarder.Benchmarks;

/// <summary>
/// The line path's phases one by one on the typical line, to see where <see cref="LineBenchmarks"/>' time goes:
/// the RFC 5424 walk alone, the JSON string encoding of every value alone, and the timestamp conversion alone.
/// </summary>
[MemoryDiagnoser]
public class PhaseBenchmarks
{
    private byte[] _typical = null!;
    private Segment[] _values = null!;
    private JsonBuffer _json = null!;
    private HaproxyTime _time = null!;

    [GlobalSetup]
    public void Setup()
    {
        var table = ParserTableLoader.Load(Paths.ParserTable);
        _typical = Encoding.UTF8.GetBytes(SampleLines.Typical(table.Fingerprint));
        _json = new JsonBuffer();
        _time = new HaproxyTime(TimeZoneInfo.Utc);
        var values = new List<Segment>();
        var reader = new Rfc5424Reader(_typical);
        reader.ReadHeader();
        while (reader.NextElement())
        {
            while (reader.NextParam())
            {
                values.Add(reader.ParamValue);
            }
        }

        _values = [.. values];
    }

    [Benchmark]
    public int Rfc5424Walk()
    {
        var reader = new Rfc5424Reader(_typical);
        var length = 0;
        reader.ReadHeader();
        while (reader.NextElement())
        {
            while (reader.NextParam())
            {
                length += reader.ParamValue.Length;
            }
        }

        return length;
    }

    [Benchmark]
    public int JsonStrings()
    {
        _json.Reset();
        foreach (var value in _values)
        {
            JsonText.WriteSdValue(_json, value.Of(_typical));
        }

        return _json.Length;
    }

    [Benchmark]
    public int Timestamp()
    {
        _json.Reset();
        _time.TryWriteUtc(_json, "23/May/2024:15:23:41.859"u8);
        return _json.Length;
    }
}
