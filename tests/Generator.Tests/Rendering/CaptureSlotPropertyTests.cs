using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Generator.Tests.Rendering;

/// <summary>
/// Whatever order captures are declared in, and wherever one is inserted, the rendered capture declarations and the
/// log-format-sd agree: the slot each SD param reads holds the header its field names. The slot assignment below is
/// HAProxy's rule (each declaration takes the next slot of its direction; <c>id N</c> rules fill a declared slot).
/// </summary>
public partial class CaptureSlotPropertyTests
{
    private static readonly string Shipped = File.ReadAllText(RepoPaths.Schema);
    private static readonly TemplateSet Templates = TemplateSet.Load(RepoPaths.Templates);

    [Fact]
    public void Any_permutation_or_insertion_keeps_slots_consistent()
    {
        var original = SchemaLoader.Load(Shipped, "schema.yaml").Schema!;
        var request = original.Captures.Request.Select(c => Line(c)).ToArray();
        var response = original.Captures.Response.Select(c => Line(c)).ToArray();

        var cases =
            from req in Gen.Shuffle(request)
            from res in Gen.Shuffle(response)
            from insertInRequest in Gen.Elements(true, false)
            from position in Gen.Choose(0, 20)
            from afterRules in Gen.Elements(true, false)
            select (req, res, insertInRequest, position, afterRules);

        Prop.ForAll(Arb.From(cases), c =>
        {
            var schema = Mutate(c.req, c.res, c.insertInRequest, c.position, c.afterRules);
            AssertConsistent(schema);
        }).QuickCheckThrowOnFailure();
    }

    private static LogSchema Mutate(string[] request, string[] response, bool insertInRequest, int position, bool afterRules)
    {
        var inserted = $"    - {{ header: X-Inserted, len: 33{(afterRules ? ", after_rules: true" : string.Empty)} }}";
        var req = request.ToList();
        var res = response.ToList();
        var target = insertInRequest ? req : res;
        target.Insert(position % (target.Count + 1), inserted);

        var captures = "captures:\n  request:\n" + string.Join('\n', req) + "\n  response:\n" + string.Join('\n', res) + "\n\n";
        var start = Shipped.IndexOf("captures:\n", StringComparison.Ordinal);
        var end = Shipped.IndexOf("kafka:\n", StringComparison.Ordinal);
        var field = $"  - {{ sd: inserted, source: \"{(insertInRequest ? "request" : "response")}:X-Inserted\", type: string }}\n";
        var text = Shipped[..start] + captures + Shipped[end..].Replace("\n# Fields the forwarder adds", field + "\n# Fields the forwarder adds", StringComparison.Ordinal);

        var result = SchemaLoader.Load(text, "schema.yaml");
        result.Succeeded.Should().BeTrue(string.Join('\n', result.Diagnostics));
        return result.Schema!;
    }

    private static void AssertConsistent(LogSchema schema)
    {
        var artifacts = ArtifactGenerator.Render(schema, Templates);
        var captures = artifacts.Single(a => a.RelativePath == "haproxy/captures.cfg").Content;
        var logFormat = artifacts.Single(a => a.RelativePath == "haproxy/log-format.cfg").Content;

        var slots = SlotsAsHaproxyAssignsThem(captures);
        var sd = logFormat.Split('\n').Single(l => l.StartsWith("log-format-sd ", StringComparison.Ordinal));
        foreach (var field in schema.Fields)
        {
            if (field.Source is not FieldSource.Capture capture)
            {
                continue;
            }

            var reference = Regex.Match(sd, $@" {field.SdParam}=\\""%\[capture\.(req|res)\.hdr\((\d+)\)\]\\""");
            reference.Success.Should().BeTrue($"{field.SdParam} reads a capture in {sd}");
            var direction = reference.Groups[1].Value == "req" ? CaptureDirection.Request : CaptureDirection.Response;
            direction.Should().Be(capture.Direction);
            slots[(direction, int.Parse(reference.Groups[2].Value))].Should().BeEquivalentTo(capture.Header, $"slot of '{field.SdParam}'");
        }

        // The MSG part follows the captures too.
        var message = logFormat.Split('\n').Single(l => l.StartsWith("log-format ", StringComparison.Ordinal));
        var host = Regex.Match(message, @"\{%\[capture\.req\.hdr\((\d+)\)\]\}");
        slots[(CaptureDirection.Request, int.Parse(host.Groups[1].Value))].Should().Be("Host");
    }

    private static Dictionary<(CaptureDirection, int), string?> SlotsAsHaproxyAssignsThem(string capturesCfg)
    {
        var slots = new Dictionary<(CaptureDirection, int), string?>();
        var next = new Dictionary<CaptureDirection, int> { [CaptureDirection.Request] = 0, [CaptureDirection.Response] = 0 };
        foreach (var line in capturesCfg.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var header = HeaderCapture().Match(line);
            var declare = DeclareCapture().Match(line);
            var rule = RuleCapture().Match(line);
            if (header.Success)
            {
                var d = Direction(header.Groups[1].Value);
                slots[(d, next[d]++)] = header.Groups[2].Value;
            }
            else if (declare.Success)
            {
                var d = Direction(declare.Groups[1].Value);
                slots[(d, next[d]++)] = null;
            }
            else if (rule.Success)
            {
                var d = Direction(rule.Groups[1].Value);
                var id = int.Parse(rule.Groups[3].Value);
                slots.Should().ContainKey((d, id), $"'{line}' fills a declared slot");
                slots[(d, id)].Should().BeNull($"'{line}' fills a slot declared without a header");
                slots[(d, id)] = rule.Groups[2].Value;
            }
            else
            {
                throw new InvalidOperationException($"unexpected capture line '{line}'");
            }
        }

        slots.Values.Should().NotContainNulls("every declared slot is filled by a rule");
        return slots;
    }

    private static CaptureDirection Direction(string word) => word is "request" or "req" ? CaptureDirection.Request : CaptureDirection.Response;

    private static string Line(CaptureSlot c) =>
        $"    - {{ header: {c.Header}, len: {c.Len}{(c.AfterRules ? ", after_rules: true" : string.Empty)} }}";

    [GeneratedRegex(@"^capture (request|response) header (\S+) len \d+$")]
    private static partial Regex HeaderCapture();

    [GeneratedRegex(@"^declare capture (request|response) len \d+$")]
    private static partial Regex DeclareCapture();

    [GeneratedRegex(@"^http-(?:request|response) capture (req|res)\.fhdr\(([^)]+)\) id (\d+)$")]
    private static partial Regex RuleCapture();
}
