using System.Globalization;
using System.Text;
using HaproxyKafka.Loopback;

namespace HaproxyKafka.Race.Corpus;

/// <summary>
/// A seeded mix of the traffic a Wikimedia cache host logs: browsers reading articles (the bulk), API calls with long
/// queries, media with Range, bots and scripts with few headers, UTF-8 and invalid UTF-8 in headers, RFC 5424
/// specials (<c>"</c> <c>\</c> <c>]</c>), requests without headers, malformed requests, client aborts and timeouts,
/// redirects, 304s, 404s, 500s and a dead backend. Sizes come out like production's (median about 1 KB).
/// </summary>
public static class CorpusRequests
{
    private static readonly string[] Browsers =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        "WikipediaApp/7.5.3.4680 (Android 14; Phone) Google Play",
    ];

    private static readonly string[] Bots =
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "python-requests/2.31.0",
        "curl/7.88.1",
        "MediaWiki-Bot/1.0 (https://meta.wikimedia.org/wiki/User:ExampleBot; examplebot@example.org) pywikibot/9.1.2",
    ];

    private static readonly string[] Languages = ["en-US,en;q=0.9", "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", "ja,en-US;q=0.9,en;q=0.8", "fr-FR,fr;q=0.9", "es-419,es;q=0.9,en;q=0.8", "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"];

    private static readonly string[] Wikis = ["en.wikipedia.org", "de.wikipedia.org", "ja.wikipedia.org", "fr.wikipedia.org", "commons.wikimedia.org", "en.m.wikipedia.org", "www.wikidata.org"];

    private static readonly string[] Titles = ["Main_Page", "Special:Search", "Albert_Einstein", "東京都", "Zürich", "Москва", "Liste_der_Städte_in_Deutschland", "List_of_countries_and_dependencies_by_population", "C%2B%2B", "Café"];

    private static readonly string[] Tls =
    [
        "vers=TLSv1.3;keyx=X25519;auth=ECDSA;ciph=AES-256-GCM-SHA384;prot=h2;sess=new",
        "vers=TLSv1.3;keyx=X25519;auth=ECDSA;ciph=CHACHA20-POLY1305-SHA256;prot=h2;sess=reused",
        "vers=TLSv1.2;keyx=X25519;auth=RSA;ciph=ECDHE-RSA-AES128-GCM-SHA256;prot=http/1.1;sess=new",
    ];

    private static readonly string[] CacheStatus = ["hit-front", "hit-local", "miss", "pass", "hit-remote"];

    public static IReadOnlyList<CorpusRequest> Make(int count, int seed = 20261202)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => One(random, i))];
    }

    private static CorpusRequest One(Random r, int i)
    {
        var roll = r.Next(100);
        return roll switch
        {
            < 55 => Browser(r, i),
            < 63 => Api(r, i),
            < 71 => Media(r, i),
            < 80 => Bot(r, i),
            < 84 => Tricky(r, i),
            < 87 => InvalidUtf8(r, i),
            < 90 => new(RawHttp.Request($"GET /wiki/{Pick(r, Titles)} HTTP/1.1", [Header("Host", Pick(r, Wikis))]), ClientBehaviour.Complete),
            < 92 => new(Encoding.ASCII.GetBytes("BROKEN\r\n\r\n"), ClientBehaviour.Complete),
            < 93 => new([], ClientBehaviour.CloseAtOnce),
            < 94 => new(Encoding.ASCII.GetBytes($"GET /wiki/{Pick(r, Titles)} HTTP/1.1\r\nHost: en.wikipedia.org\r\n"), ClientBehaviour.Stall),
            < 96 => Browser(r, i, path: "/dead/wiki/Main_Page"),
            _ => Browser(r, i, reply: 6 + r.Next(4)),
        };
    }

    private static CorpusRequest Browser(Random r, int i, string? path = null, int? reply = null)
    {
        var wiki = Pick(r, Wikis);
        var title = Pick(r, Titles);
        var query = r.Next(4) == 0 ? $"?action=history&offset=20240{r.Next(1, 9)}{r.Next(10, 28)}&limit=50" : string.Empty;
        return Complete(r, $"GET {path ?? "/wiki/" + title + query} HTTP/1.1", reply ?? 0,
            [
                Header("Host", wiki),
                Header("User-Agent", Pick(r, Browsers)),
                Header("Referer", r.Next(3) == 0 ? "https://www.google.com/" : $"https://{wiki}/wiki/{Pick(r, Titles)}?wprov=sfla1&oldid={r.Next(100_000_000, 1_300_000_000)}"),
                Header("Accept-Language", Pick(r, Languages)),
                Header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
                Header("X-Analytics-TLS", Pick(r, Tls)),
            ],
            i);
    }

    private static CorpusRequest Api(Random r, int i)
    {
        var titles = string.Join("%7C", Enumerable.Range(0, r.Next(2, 30)).Select(_ => Pick(r, Titles)));
        return Complete(r, $"GET /w/api.php?action=query&format=json&formatversion=2&prop=info%7Cpageprops%7Crevisions&rvprop=content%7Ctimestamp&inprop=url&redirects=1&titles={titles} HTTP/1.1", 3,
            [
                Header("Host", Pick(r, Wikis)),
                Header("User-Agent", r.Next(2) == 0 ? Pick(r, Bots) : Pick(r, Browsers)),
                Header("Accept", "application/json"),
                Header("X-Analytics-TLS", Pick(r, Tls)),
            ],
            i);
    }

    private static CorpusRequest Media(Random r, int i)
    {
        var reply = r.Next(3) switch { 0 => 1, 1 => 2, _ => r.Next(2) == 0 ? 5 : 7 };
        List<KeyValuePair<string, byte[]>> headers =
        [
            Header("Host", "upload.wikimedia.org"),
            Header("User-Agent", Pick(r, Browsers)),
            Header("Referer", $"https://{Pick(r, Wikis)}/"),
            Header("Accept", "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"),
            Header("Accept-Language", Pick(r, Languages)),
            Header("X-Analytics-TLS", Pick(r, Tls)),
        ];
        if (reply == 5)
        {
            headers.Add(Header("Range", $"bytes={r.Next(0, 900_000)}-"));
        }

        return Complete(r, $"GET /wikipedia/commons/thumb/{r.Next(16):x}/{r.Next(256):x2}/Example_{i}.jpg/{r.Next(120, 1280)}px-Example_{i}.jpg HTTP/1.1", reply, headers, i);
    }

    private static CorpusRequest Bot(Random r, int i) =>
        Complete(r, $"GET /wiki/Special:Random?bot={i} HTTP/1.1", r.Next(5) == 0 ? 6 : 0,
            [Header("Host", Pick(r, Wikis)), Header("User-Agent", Pick(r, Bots)), Header("Accept", "*/*")],
            i);

    private static CorpusRequest Tricky(Random r, int i) =>
        Complete(r, "GET /w/index.php?search=%22quoted%22+%5Bx%5D&title=Special%3ASearch HTTP/1.1", 0,
            [
                Header("Host", "en.wikipedia.org"),
                Header("User-Agent", "Mozilla/5.0 \"quoted\" back\\slash [bracket] end] Bücherwurm/1.0 (ünïcödé) 東京"),
                Header("Referer", "https://example.org/\"q\"\\path]end?x=\\\"]"),
                Header("Accept-Language", "de-CH,de;q=0.9,\"x\"]"),
                Header("X-Analytics-TLS", Pick(r, Tls)),
            ],
            i);

    private static CorpusRequest InvalidUtf8(Random r, int i) =>
        Complete(r, "GET /wiki/Invalid HTTP/1.1", 0,
            [
                Header("Host", "en.wikipedia.org"),
                KeyValuePair.Create("User-Agent", (byte[])[.. "Mozilla/5.0 bad-"u8.ToArray(), 0xC3, 0x28, (byte)'-', 0xFF, 0xFE, .. "-end (compatible)"u8.ToArray()]),
                KeyValuePair.Create("Referer", (byte[])[.. "https://ja.wikipedia.org/wiki/"u8.ToArray(), 0xE6, 0x9D, .. "?cut"u8.ToArray()]),
                Header("X-Analytics-TLS", Pick(r, Tls)),
            ],
            i);

    /// <summary>Adds what the origin should answer: reply kind, response headers to capture and a body of some size.</summary>
    private static CorpusRequest Complete(Random r, string requestLine, int reply, List<KeyValuePair<string, byte[]>> headers, int i)
    {
        var server = r.Next(2) == 0 ? "ATS/9.2.5" : $"mw{r.Next(2200, 2450)}.codfw.wmnet";
        headers.AddRange(
        [
            Header("X-Race-Reply", reply.ToString(CultureInfo.InvariantCulture)),
            Header("X-Race-Cache-Status", Pick(r, CacheStatus)),
            Header("X-Race-Analytics", $"ns=0;page_id={r.Next(1, 80_000_000)};rev_id={r.Next(1_000_000_000, 1_230_000_000)};wprov=sfla1;https=1;client_port={r.Next(1024, 65535)}"),
            Header("X-Race-Cache", $"cp{r.Next(3050, 3070)} miss, cp{r.Next(3050, 3070)} hit/{r.Next(1, 90)}"),
            Header("X-Race-Server", server),
            Header("X-Race-Body", new string('x', r.Next(0, 2000))),
        ]);
        return new(RawHttp.Request(requestLine, headers), ClientBehaviour.Complete);
    }

    private static KeyValuePair<string, byte[]> Header(string name, string value) => KeyValuePair.Create(name, Encoding.UTF8.GetBytes(value));

    private static string Pick(Random r, string[] values) => values[r.Next(values.Length)];
}
