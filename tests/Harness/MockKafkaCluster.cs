using System.Runtime.InteropServices;
using System.Text;

namespace HaproxyKafka.Harness;

/// <summary>
/// librdkafka's built-in Kafka-protocol broker ("mock cluster") on loopback TCP ports, created through the C API of
/// Debian's librdkafka.so.1. Real clients (the daemon, kcat, Confluent consumers) talk to it over the wire protocol.
/// It has no CreateTopics, so topics are created here; it keeps only 5 MiB per partition, so size tests accordingly.
/// </summary>
public sealed partial class MockKafkaCluster : IDisposable
{
    private const string Library = "librdkafka.so.1";
    private IntPtr _client;
    private IntPtr _cluster;

    public MockKafkaCluster(int brokers = 1)
    {
        var error = new byte[512];
        var conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "log_level", "3", error, error.Length);
        _client = rd_kafka_new(0, conf, error, error.Length);
        if (_client == IntPtr.Zero)
        {
            throw new InvalidOperationException($"rd_kafka_new failed: {Text(error)}");
        }

        _cluster = rd_kafka_mock_cluster_new(_client, brokers);
        if (_cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(_client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        BootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(_cluster)) ?? string.Empty;
    }

    /// <summary><c>127.0.0.1:PORT[,...]</c> for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    public void CreateTopic(string topic, int partitions = 1)
    {
        var error = rd_kafka_mock_topic_create(_cluster, topic, partitions, 1);
        if (error != 0)
        {
            throw new InvalidOperationException($"rd_kafka_mock_topic_create({topic}) failed with error {error}");
        }
    }

    /// <summary>Takes a broker down (connections refused) or back up, to exercise delivery failures.</summary>
    public void SetBrokerDown(int brokerId, bool down)
    {
        var error = down ? rd_kafka_mock_broker_set_down(_cluster, brokerId) : rd_kafka_mock_broker_set_up(_cluster, brokerId);
        if (error != 0)
        {
            throw new InvalidOperationException($"mock broker {brokerId} state change failed with error {error}");
        }
    }

    /// <summary>
    /// Delays every response of broker <paramref name="brokerId"/> by <paramref name="rtt"/> (zero restores it): a
    /// broker that is up and connected but slow, or, with an RTT longer than the client's timeouts, a black hole.
    /// </summary>
    public void SetRtt(int brokerId, TimeSpan rtt)
    {
        var error = rd_kafka_mock_broker_set_rtt(_cluster, brokerId, (int)rtt.TotalMilliseconds);
        if (error != 0)
        {
            throw new InvalidOperationException($"mock broker {brokerId} RTT change failed with error {error}");
        }
    }

    /// <summary>
    /// The next <paramref name="requests"/> Produce requests (to any topic) are answered with <paramref name="error"/>,
    /// a Kafka protocol error code; the default, 29 (TOPIC_AUTHORIZATION_FAILED), is permanent, so the messages in
    /// them fail at once in their delivery reports instead of being retried.
    /// </summary>
    public void RefuseProduceRequests(int requests, int error = 29)
    {
        const short ProduceApiKey = 0;
        rd_kafka_mock_push_request_errors_array(_cluster, ProduceApiKey, (nuint)requests, Enumerable.Repeat(error, requests).ToArray());
    }

    public void Dispose()
    {
        if (_cluster != IntPtr.Zero)
        {
            rd_kafka_mock_cluster_destroy(_cluster);
            _cluster = IntPtr.Zero;
        }

        if (_client != IntPtr.Zero)
        {
            rd_kafka_destroy(_client);
            _client = IntPtr.Zero;
        }
    }

    private static string Text(byte[] error) => Encoding.UTF8.GetString(error, 0, Math.Max(0, Array.IndexOf(error, (byte)0)));

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] error, nint errorSize);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] error, nint errorSize);

    [LibraryImport(Library)]
    private static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokers);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_rtt(IntPtr cluster, int brokerId, int rttMs);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, nuint count, int[] errors);
}
