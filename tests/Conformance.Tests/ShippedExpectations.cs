using HaproxyKafka.Generator.Rendering;
using HaproxyKafka.TestSupport;

namespace HaproxyKafka.Conformance.Tests;

/// <summary>What the checker expects of the shipped schema, rendered once for all tests.</summary>
internal static class ShippedExpectations
{
    public static SchemaExpectations Value { get; } =
        SchemaExpectations.Render(Corpus.Schema, TemplateSet.Load(RepoPaths.Templates));
}
