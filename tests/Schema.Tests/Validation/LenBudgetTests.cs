using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Validation;

namespace HaproxyKafka.Schema.Tests.Validation;

public class LenBudgetTests
{
    [Fact]
    public void Counts_every_value_at_its_maximum_and_doubles_escapable_captures()
    {
        var schema = SchemaLoader.Load(SchemaText.Valid, SchemaText.File).Schema!;

        var budget = LenBudget.Compute(schema);

        // [hk@0 + ` schema_fp="<16>"` + ]
        var frame = 1 + 4 + 1 + 9 + 4 + 16;
        // name + ` ="` + `"` per field, and the raw maxima: %pid 10, %ST 3, UA 128, CT 32, path+query share logurilen 1024, %tr 24, %Tr 11
        var names = new[] { "pid", "status", "agent", "ctype", "path", "query", "dt", "ttfb" }.Sum(n => n.Length + 4);
        budget.SdAtMax.Should().Be(frame + names + 10 + 3 + 128 + 32 + 1024 + 24 + 11);
        budget.SdWorstCase.Should().Be(frame + names + 10 + 3 + (2 * 128) + (2 * 32) + (3 * 1024) + 24 + 11);
        budget.MinimumLen.Should().Be(LenBudget.HeaderBytes + budget.SdAtMax);
    }

    [Fact]
    public void Warns_with_the_computed_minimum_when_only_the_escaped_worst_case_does_not_fit()
    {
        var schema = SchemaLoader.Load(SchemaText.Valid, SchemaText.File).Schema!;
        var worst = LenBudget.Compute(schema).WorstCaseLen;
        var text = SchemaText.Replace("    len: 4096", $"    len: {worst - 1}");

        var result = SchemaLoader.Load(text, SchemaText.File);

        result.Succeeded.Should().BeTrue();
        result.Diagnostics.Should().ContainSingle().Which.ToString().Should().Contain($"warning: len {worst - 1} fits").And.Contain($"set 'len: {worst}'");
    }

    [Fact]
    public void The_shipped_schema_fits_len_8192_unescaped_but_not_in_the_worst_case()
    {
        var result = SchemaLoader.LoadFile(TestSupport.RepoPaths.Schema);
        var budget = LenBudget.Compute(result.Schema!);

        budget.MinimumLen.Should().BeLessThan(8192);
        budget.WorstCaseLen.Should().BeGreaterThan(8192);
        result.Diagnostics.Should().ContainSingle(d => d.Message.Contains("worst case"));
    }
}
