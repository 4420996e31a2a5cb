using System.Text;
using HaproxyKafka.Loopback;

namespace HaproxyKafka.Demo;

/// <summary>The handful of requests the demo sends: each one exercises a way real traffic breaks naive pipelines.</summary>
public static class DemoRequests
{
    public sealed record DemoRequest(string Title, byte[] Bytes);

    public static IReadOnlyList<DemoRequest> All { get; } =
    [
        Make("ordinary page view", "GET /wiki/Main_Page?action=view HTTP/1.1",
            ("Host", "en.wikipedia.org"),
            ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"),
            ("Accept-Language", "de-DE,de;q=0.9,en;q=0.8"),
            ("Accept", "text/html")),
        Make("quotes, backslash and ] (RFC 5424 escapes)", "GET /w/index.php?search=%22a%22 HTTP/1.1",
            ("Host", "en.wikipedia.org"),
            ("Referer", "https://example.org/\"quoted\"\\path]end"),
            ("User-Agent", "curl/8.0 \"x\\y]\"")),
        Make("UTF-8 in headers", "GET /wiki/%E6%9D%B1%E4%BA%AC HTTP/1.1",
            ("Host", "ja.wikipedia.org"),
            ("Referer", "https://ja.wikipedia.org/wiki/東京"),
            ("User-Agent", "Bücherwurm/1.0 (ünïcödé)")),
        MakeBytes("invalid UTF-8 in User-Agent", "GET /wiki/Invalid HTTP/1.1",
            ("Host", "en.wikipedia.org"u8.ToArray()),
            ("User-Agent", [.. "bad-"u8.ToArray(), 0xC3, 0x28, (byte)'-', 0xFF, .. "-end"u8.ToArray()])),
        Make("over-long Range (capture len 10 cuts it)", "GET /upload/a.jpg HTTP/1.1",
            ("Host", "upload.wikimedia.org"),
            ("Range", "bytes=0-1234567890123")),
        Make("missing headers (only Host)", "GET / HTTP/1.1",
            ("Host", "www.wikipedia.org")),
        new("a bad request (<BADREQ>)", Encoding.ASCII.GetBytes("BROKEN\r\n\r\n")),
    ];

    private static DemoRequest Make(string title, string requestLine, params (string Name, string Value)[] headers) =>
        MakeBytes(title, requestLine, [.. headers.Select(h => (h.Name, Encoding.UTF8.GetBytes(h.Value)))]);

    private static DemoRequest MakeBytes(string title, string requestLine, params (string Name, byte[] Value)[] headers) =>
        new(title, RawHttp.Request(requestLine, headers.Select(h => KeyValuePair.Create(h.Name, h.Value))));
}
