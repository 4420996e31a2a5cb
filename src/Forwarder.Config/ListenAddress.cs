using System.Globalization;
using System.Net;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>Go's listen address syntax: <c>:9341</c> (every address), <c>127.0.0.1:9341</c>, <c>[::1]:9341</c>; port 0 picks one.</summary>
public static class ListenAddress
{
    public static bool TryParse(string text, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.Any, 0);
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        IPAddress address;
        if (host.Length == 0)
        {
            address = IPAddress.IPv6Any;
        }
        else if (host == "localhost")
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
