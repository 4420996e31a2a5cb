namespace HaproxyKafka.Forwarder;

/// <summary>
/// Placeholder for the forwarder daemon (issue 3). It refuses to start rather than pretend to forward: a daemon
/// that runs and moves nothing is exactly the failure this project exists to prevent.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("haproxykafka: the forwarder daemon is not implemented yet; nothing would be forwarded, so it does not start.");
        Console.Error.WriteLine($"haproxykafka: arguments were: {string.Join(' ', args)}");
        return 2;
    }
}
