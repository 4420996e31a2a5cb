using HaproxyKafka.Diagnostics;
using HaproxyKafka.Schema.Loading;
using HaproxyKafka.Schema.Model;
using HaproxyKafka.Contract;

namespace HaproxyKafka.Schema.Validation;

/// <summary>Each field: its source exists, and its type, transform and absent handling fit together.</summary>
internal static class FieldRules
{
    private static readonly HashSet<string> DateItems = ["%tr", "%trg", "%trl"];

    public static void Check(LogSchema schema, DiagnosticBag bag)
    {
        if (schema.Fields.IsEmpty)
        {
            bag.Error(new SourceLocation(schema.File, 1, 1), "the schema has no fields", "add at least one entry under 'fields:'");
        }

        foreach (var field in schema.Fields)
        {
            CheckSource(schema, field, bag);
            CheckTypeAndTransform(field, bag);
            CheckAbsent(field, bag);
        }

        foreach (var added in schema.Added)
        {
            var needsValue = added.From == AddedFrom.Constant;
            if (needsValue && added.Value is null)
            {
                bag.Error(added.Location, $"added field '{added.JsonKey}' is a constant without a value", "add 'value: <text>'");
            }
            else if (!needsValue && added.Value is not null)
            {
                bag.Error(added.Location, $"added field '{added.JsonKey}' takes its value from the forwarder's {Name(added.From)}, so 'value' is ignored", "remove 'value', or use 'from: constant'");
            }
        }
    }

    private static void CheckSource(LogSchema schema, FieldSpec field, DiagnosticBag bag)
    {
        switch (field.Source)
        {
            case FieldSource.Capture capture when schema.Captures.Find(capture.Direction, capture.Header) is null:
                var direction = capture.Direction == CaptureDirection.Request ? "request" : "response";
                var known = (capture.Direction == CaptureDirection.Request ? schema.Captures.Request : schema.Captures.Response).Select(c => c.Header);
                bag.Error(field.Location, $"field '{field.SdParam}' reads {direction} header '{capture.Header}', which is not captured",
                    $"add '- {{ header: {capture.Header}, len: N }}' under captures.{direction}, or {Suggestion.DidYouMean(capture.Header, known)}");
                break;
            case FieldSource.Variable when field.MaxLength is null:
                bag.Error(field.Location, $"field '{field.SdParam}' reads a variable, whose length HAProxy does not bound", "add 'max_length: N' (the longest value the rules set) so the len budget can be computed");
                break;
            case FieldSource.Variable variable when Tokens.ConfigValueProblem(variable.Name) is { } problem:
                bag.Error(field.Location, $"variable name '{variable.Name}' {problem}", "use letters, digits, '_' and '.'");
                break;
        }

        if (field.MaxLength is < 1 && field.Source is FieldSource.Variable)
        {
            bag.Error(field.Location, $"max_length {field.MaxLength} of field '{field.SdParam}' must be positive", "set the longest value the variable can hold");
        }
    }

    private static void CheckTypeAndTransform(FieldSpec field, DiagnosticBag bag)
    {
        var item = (field.Source as FieldSource.LogItem)?.Item;
        var numericSource = item?.Numeric ?? false;
        var code = item?.Code ?? FieldSourceParser.Format(field.Source);

        switch (field.Type)
        {
            case FieldType.Integer or FieldType.Number when item is not null && !numericSource:
                bag.Error(field.Location, $"field '{field.SdParam}' is typed {Name(field.Type)} but '{code}' is not numeric", "use 'type: string', or a numeric item");
                break;
            case FieldType.Timestamp when !DateItems.Contains(code) || field.Transform != FieldTransform.HaproxyDateToUtc:
                bag.Error(field.Location, $"field '{field.SdParam}' is a timestamp, which needs a date item (%tr, %trg, %trl) and 'transform: haproxy_date_to_utc'", "use source '%tr' with that transform, or 'type: string'");
                break;
        }

        switch (field.Transform)
        {
            case FieldTransform.MsToSeconds when field.Type != FieldType.Number || !numericSource:
                bag.Error(field.Location, $"transform ms_to_seconds on '{field.SdParam}' needs a numeric timer item and 'type: number'", "use e.g. source '%Tr' with 'type: number'");
                break;
            case FieldTransform.HaproxyDateToUtc when field.Type != FieldType.Timestamp:
                bag.Error(field.Location, $"transform haproxy_date_to_utc on '{field.SdParam}' needs 'type: timestamp'", "set 'type: timestamp'");
                break;
            case FieldTransform.EmptyToSlash when field.Type != FieldType.String:
                bag.Error(field.Location, $"transform empty_to_slash on '{field.SdParam}' needs 'type: string'", "set 'type: string'");
                break;
        }
    }

    private static void CheckAbsent(FieldSpec field, DiagnosticBag bag)
    {
        var numeric = field.Type is FieldType.Integer or FieldType.Number;
        switch (field.Absent)
        {
            case AbsentValue.Zero when !numeric:
                bag.Error(field.Location, $"'absent: zero' on '{field.SdParam}' needs a numeric type", "use 'absent: empty' for strings");
                break;
            case AbsentValue.Empty or AbsentValue.Dash when field.Type != FieldType.String:
                bag.Error(field.Location, $"'absent: {Name(field.Absent)}' on '{field.SdParam}' needs 'type: string'", numeric ? "use 'absent: zero' or 'absent: null'" : "use 'absent: null' or 'absent: omit'");
                break;
        }

        if (field.Required && field.Absent != AbsentValue.Null)
        {
            bag.Warning(field.Location, $"'{field.SdParam}' is required, so 'absent: {Name(field.Absent)}' never applies (a line without it is dead-lettered)", "remove 'absent' or 'required'");
        }
    }

    private static string Name(FieldType t) => NamedValues.Name(NamedValues.Types, t);

    private static string Name(AbsentValue a) => NamedValues.Name(NamedValues.Absent, a);

    private static string Name(AddedFrom a) => NamedValues.Name(NamedValues.AddedSources, a);
}
