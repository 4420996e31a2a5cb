namespace HaproxyKafka.Loopback;

/// <summary>
/// A complete haproxy.cfg built only from the generated fragments plus loopback plumbing: a logging frontend whose
/// backend is a second frontend that answers by itself with the response headers to capture. The demo, the live
/// conformance check and the end-to-end tests all run HAProxy on this.
/// </summary>
public static class LoopbackHaproxyConfig
{
    public static string Build(GeneratedFragments fragments, int frontPort, int originPort, IReadOnlyDictionary<string, string> originHeaders, string contentType)
    {
        var headers = string.Concat(originHeaders.Select(h => $" hdr {h.Key} \"{Quote(h.Value)}\""));
        return $"""
            global
            {Indent(fragments.Global)}

            defaults
              mode http
              log global
              timeout client 5s
              timeout server 5s
              timeout connect 5s
            {Indent(fragments.LogFormat)}

            frontend fe
              bind 127.0.0.1:{frontPort}
            {Indent(fragments.Captures)}
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
              http-request return status 200 content-type "{Quote(contentType)}" string "ok"{headers}

            """;
    }

    private static string Quote(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string Indent(string fragment) =>
        string.Join('\n', fragment.TrimEnd('\n').Split('\n').Select(l => "  " + l));
}
