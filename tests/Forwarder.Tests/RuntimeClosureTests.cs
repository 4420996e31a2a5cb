using System.Reflection;

namespace HaproxyKafka.Forwarder.Tests;

/// <summary>
/// Dependencies point from runtime to authoring never: the daemon that runs on every cache host carries no template
/// engine, schema validator, diff library or checker. This walks the daemon assembly's reference graph as the
/// runtime would load it, so a stray project reference fails here rather than in a host's publish output.
/// </summary>
public class RuntimeClosureTests
{
    private static readonly string[] Authoring =
        ["HaproxyKafka.Schema", "HaproxyKafka.Generator", "HaproxyKafka.Conformance", "HaproxyKafka.Loopback", "haproxykafka-schema", "Scriban", "HandlebarsDotNet", "DiffPlex"];

    [Fact]
    public void The_daemon_references_no_authoring_assembly()
    {
        var closure = Closure(typeof(Program).Assembly);

        closure.Should().Contain(["haproxykafka", "HaproxyKafka.Decoder", "HaproxyKafka.Contract", "HaproxyKafka.Forwarder.Config", "Confluent.Kafka"]);
        closure.Where(name => Authoring.Any(a => name.StartsWith(a, StringComparison.Ordinal))).Should().BeEmpty();
    }

    private static SortedSet<string> Closure(Assembly root)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal) { root.GetName().Name! };
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                // Framework assemblies cannot pull in project code; only follow what the project ships.
                if (reference.Name is not { } name || name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft", StringComparison.Ordinal) || !seen.Add(name))
                {
                    continue;
                }

                pending.Push(Assembly.Load(reference));
            }
        }

        return seen;
    }
}
