using HaproxyKafka.Loopback;

namespace HaproxyKafka.Race.Corpus;

/// <summary>
/// haproxy.cfg for making the corpus: the generated fragments (global, log-format, captures) as production deploys
/// them, logging to the corpus socket, in front of an origin that answers with the status and the response headers
/// each request asks for (<c>X-Race-*</c> request headers, which are not captured), a dead server for 503 <c>SC</c>,
/// and a short request timeout for 408 <c>cR</c>. <see cref="LoopbackHaproxyConfig"/> answers one fixed response
/// only, which makes a corpus with a single status and termination state.
/// </summary>
public static class CorpusHaproxyConfig
{
    /// <summary>What the origin can answer; a request picks one with <c>X-Race-Reply: INDEX</c>.</summary>
    public static readonly IReadOnlyList<(int Status, string? ContentType)> Replies =
    [
        (200, "text/html; charset=UTF-8"),
        (200, "image/jpeg"),
        (200, "image/png"),
        (200, "application/json; charset=utf-8"),
        (200, "text/javascript; charset=utf-8"),
        (206, "video/webm"),
        (301, "text/html; charset=utf-8"),
        (304, null),
        (404, "text/html; charset=utf-8"),
        (500, "text/html; charset=utf-8"),
    ];

    public static string Build(GeneratedFragments fragments, string socketPath, int frontPort, int originPort, int deadPort)
    {
        var global = fragments.Global.Replace("/var/run/haproxykafka/haproxykafka.sock", socketPath, StringComparison.Ordinal);
        var returns = string.Concat(Replies.Select((reply, index) => $$"""

              http-request return status {{reply.Status}}{{Body(reply.ContentType)}} hdr X-Cache-Status "%[req.fhdr(x-race-cache-status)]" hdr X-Analytics "%[req.fhdr(x-race-analytics)]" hdr X-Cache "%[req.fhdr(x-race-cache)]" hdr Server "%[req.fhdr(x-race-server)]" if { req.hdr(x-race-reply) -m str {{index}} }
            """));
        return $$"""
            global
            {{Indent(global)}}

            defaults
              mode http
              log global
              timeout client 5s
              timeout server 5s
              timeout connect 1s
              timeout http-request 300ms
            {{Indent(fragments.LogFormat)}}

            frontend fe
              bind 127.0.0.1:{{frontPort}}
            {{Indent(fragments.Captures)}}
              use_backend dead if { path_beg /dead/ }
              default_backend be

            backend be
              server origin 127.0.0.1:{{originPort}}

            backend dead
              server gone 127.0.0.1:{{deadPort}}

            defaults origin
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s

            frontend origin
              bind 127.0.0.1:{{originPort}}{{returns}}
              http-request return status 200 content-type "text/plain" string "ok"

            """;
    }

    /// <summary>A body of the size the request asks for; none for a 304.</summary>
    private static string Body(string? contentType) =>
        contentType is null ? string.Empty : $" content-type \"{contentType}\" lf-string \"%[req.fhdr(x-race-body)]\"";

    private static string Indent(string fragment) =>
        string.Join('\n', fragment.TrimEnd('\n').Split('\n').Select(l => "  " + l));
}
