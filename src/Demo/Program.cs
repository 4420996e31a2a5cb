using System.Text.Json;
using System.Text.RegularExpressions;
using HaproxyKafka.Demo;
using HaproxyKafka.Harness;
using HaproxyKafka.Loopback;

// The main job in one command: generate from schema.yaml, start a Kafka-protocol broker, the daemon and HAProxy,
// send tricky requests, print what Kafka received and the daemon's own counters.
var schemaPath = args.Length > 0 ? args[0] : FindSchema();
Console.WriteLine($"haproxykafka demo: schema {schemaPath}");
await using var run = await EndToEnd.StartAsync(schemaPath);
Console.WriteLine($"  generated   {run.GeneratedDirectory} (fingerprint {run.Fingerprint})");
Console.WriteLine($"  broker      librdkafka mock cluster at {run.Cluster.BootstrapServers}");
Console.WriteLine($"  daemon      haproxykafka -c {run.ConfigPath} (pid {run.Forwarder.Pid}, metrics {run.Forwarder.Monitoring}metrics)");
Console.WriteLine($"  haproxy     {run.Haproxy!.ConfigPath} listening on 127.0.0.1:{run.FrontPort}, logging to {run.SocketPath}");
Console.WriteLine();

foreach (var request in DemoRequests.All)
{
    var response = await RawHttp.SendAsync(run.FrontPort, request.Bytes);
    Console.WriteLine($"sent: {request.Title,-45} -> {response.Split('\r')[0]}");
}

// HAProxy also logs the harness's readiness probe (an empty connection: a <BADREQ> line), so read what the daemon
// says it delivered rather than assume one message per request.
var delivered = await run.WaitForQuietAsync(DemoRequests.All.Count, TimeSpan.FromSeconds(30));
var messages = await run.ReadTopicAsync(run.Topic, (int)delivered, TimeSpan.FromSeconds(30));
Console.WriteLine();
Console.WriteLine($"{messages.Count} JSON messages read back from topic {run.Topic}:");
foreach (var message in messages)
{
    Console.WriteLine(message.Text);
}

Console.WriteLine();
Console.WriteLine("daemon counters (/metrics):");
var metrics = await run.Forwarder.GetAsync("metrics");
foreach (var line in metrics.Split('\n').Where(l => Regex.IsMatch(l, "^haproxykafka_(received_lines_total|valid_messages_total|delivered_messages_total|dead_lettered_lines_total|dropped_lines_total|lines_total|in_flight_lines|sanitized_lines_total)")))
{
    if (!line.EndsWith(" 0", StringComparison.Ordinal))
    {
        Console.WriteLine("  " + line);
    }
}

var state = JsonDocument.Parse(await run.Forwarder.GetAsync("debug/state"));
Console.WriteLine($"  health: {state.RootElement.GetProperty("health").GetString()}");
var exit = await run.Forwarder.TerminateAsync(TimeSpan.FromSeconds(30));
Console.WriteLine();
Console.WriteLine($"SIGTERM -> daemon exited {exit}; its last words:");
Console.WriteLine("  " + run.Forwarder.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.Contains("stopped:", StringComparison.Ordinal)));
return messages.Count >= DemoRequests.All.Count && exit == 0 ? 0 : 1;

static string FindSchema()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "schema.yaml");
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException("no schema.yaml in this directory or above; pass its path as the first argument");
}
