using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Model;

namespace HaproxyKafka.Schema.Validation;

/// <summary>The semantic checks, one class per aspect, all run so the user sees every problem at once.</summary>
public static class SchemaValidator
{
    public static void Validate(LogSchema schema, DiagnosticBag bag)
    {
        NameRules.Check(schema, bag);
        CaptureRules.Check(schema, bag);
        FieldRules.Check(schema, bag);
        LoggerRules.Check(schema, bag);
        LenBudget.Check(schema, bag);
    }
}
