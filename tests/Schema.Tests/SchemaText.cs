namespace HaproxyKafka.Schema.Tests;

/// <summary>A small valid schema to mutate in tests, and a way to find where a mutation landed.</summary>
internal static class SchemaText
{
    public const string File = "test-schema.yaml";

    public const string Valid = """
        name: test
        sd_id: hk@0
        haproxy:
          logger:
            socket: /run/hk.sock
            len: 4096
            facility: local0
            level: info
          logurilen: 1024
          message: "%ST {@{request:Host}}"
        captures:
          request:
            - { header: Host, len: 64 }
            - { header: User-Agent, len: 128 }
          response:
            - { header: Content-Type, len: 32 }
        kafka:
          clusters:
            text: topic_text
          dlq_topic: topic_errors
        fields:
          - { sd: pid, source: "%pid", type: integer, required: true }
          - { sd: status, source: "%ST", type: string }
          - { sd: agent, json: user_agent, source: "request:User-Agent", type: string, absent: dash }
          - { sd: ctype, source: "response:Content-Type", type: string }
          - { sd: path, source: "%HPO", type: string, transform: empty_to_slash }
          - { sd: query, source: "%HQ", type: string, absent: empty }
          - { sd: dt, source: "%tr", type: timestamp, transform: haproxy_date_to_utc, required: true }
          - { sd: ttfb, source: "%Tr", type: number, transform: ms_to_seconds }
        added:
          - { json: hostname, from: hostname }
        """;

    public static string Replace(string oldText, string newText)
    {
        Valid.Should().Contain(oldText, "the test mutates text that must exist in the base schema");
        return Valid.Replace(oldText, newText, StringComparison.Ordinal);
    }

    public static int LineOf(string text, string needle) => TestSupport.TextPosition.LineOf(text, needle);
}
