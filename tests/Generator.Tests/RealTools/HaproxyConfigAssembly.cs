namespace HaproxyKafka.Generator.Tests.RealTools;

/// <summary>
/// A complete haproxy.cfg built only from the generated fragments plus loopback plumbing: a logging frontend
/// whose backend is a second frontend that answers by itself with the response headers the test wants captured.
/// </summary>
internal static class HaproxyConfigAssembly
{
    public static string Build(GeneratedSet generated, int frontPort, int originPort, IReadOnlyDictionary<string, string> originHeaders, string contentType)
    {
        var headers = string.Concat(originHeaders.Select(h => $" hdr {h.Key} \"{h.Value}\""));
        return $"""
            global
            {Indent(generated.Read("haproxy/global.cfg"))}

            defaults
              mode http
              log global
              timeout client 5s
              timeout server 5s
              timeout connect 5s
            {Indent(generated.Read("haproxy/log-format.cfg"))}

            frontend fe
              bind 127.0.0.1:{frontPort}
            {Indent(generated.Read("haproxy/captures.cfg"))}
              default_backend be

            backend be
              server origin 127.0.0.1:{originPort}

            defaults origin
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 5s

            frontend origin
              bind 127.0.0.1:{originPort}
              http-request return status 200 content-type "{contentType}" string "ok"{headers}

            """;
    }

    private static string Indent(string fragment) =>
        string.Join('\n', fragment.TrimEnd('\n').Split('\n').Select(l => "  " + l));
}
