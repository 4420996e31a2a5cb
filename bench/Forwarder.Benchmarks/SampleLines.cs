namespace HaproxyKafka.Forwarder.Benchmarks;

/// <summary>Production-sized lines (~900 bytes) for the shipped schema.</summary>
internal static class SampleLines
{
    public static string Typical(string fingerprint, int sequence = 123456) =>
        "<134>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - [haproxykafka@0 server_pid=\"4242\" ip=\"2001:db8::7\" " +
        $"sequence=\"{sequence}\" dt=\"23/May/2024:15:23:41.859\" time_backend_response=\"57\" http_status=\"200\" response_size=\"51234\" " +
        "termination_state=\"--\" uri_host=\"en.wikipedia.org\" referer=\"https://www.google.com/\" " +
        "user_agent=\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\" " +
        "accept_language=\"en-US,en;q=0.9\" range=\"-\" accept=\"text/html,application/xhtml+xml,application/xml;q=0.9\" " +
        "tls=\"vers=TLSv1.3;keyx=X25519;auth=ECDSA;ciph=AES-256-GCM-SHA384;prot=h2;sess=new\" cache_status=\"hit-front\" " +
        "content_type=\"text/html; charset=UTF-8\" x_analytics=\"ns=0;page_id=15580374;rev_id=1225154291;wprov=sfla1;https=1;client_port=51234\" " +
        "x_cache=\"cp3050 miss, cp3050 hit/12\" backend=\"ATS/9.2.5\" http_method=\"GET\" uri_path=\"/wiki/Main_Page\" uri_query=\"-\" " +
        $"schema_fp=\"{fingerprint}\"] {sequence} 57 0 0 200 {{en.wikipedia.org}} {{hit-front}} --\n";

    public static string Escaped(string fingerprint) =>
        Typical(fingerprint).Replace("https://www.google.com/", "https://ja.wikipedia.org/wiki/東京?q=\\\"x\\\"\\]\\\\", StringComparison.Ordinal);
}
