namespace HaproxyKafka.Forwarder.Tests.E2E;

/// <summary>Datagrams shaped as HAProxy writes them for the shipped schema with a given fingerprint.</summary>
internal static class Lines
{
    public static string Request(string fingerprint, int sequence, string sdId = "haproxykafka@0", string pid = "4242") =>
        $"<134>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - [{sdId} server_pid=\"{pid}\" ip=\"198.51.100.7\" sequence=\"{sequence}\" " +
        "dt=\"23/May/2024:15:23:41.859\" time_backend_response=\"57\" http_status=\"200\" response_size=\"5120\" termination_state=\"--\" " +
        "uri_host=\"en.wikipedia.org\" referer=\"-\" user_agent=\"Mozilla/5.0 (X11; Linux x86_64)\" accept_language=\"de\" range=\"-\" accept=\"text/html\" " +
        "tls=\"-\" cache_status=\"hit-front\" content_type=\"text/html\" x_analytics=\"ns=0\" x_cache=\"cp1 hit\" backend=\"ATS\" http_method=\"GET\" " +
        $"uri_path=\"/wiki/Line_{sequence}\" uri_query=\"-\" schema_fp=\"{fingerprint}\"] {sequence} 57 0 0 200 {{en.wikipedia.org}} {{hit-front}} --\n";
}
