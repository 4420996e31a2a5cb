namespace HaproxyKafka.Race.Corpus;

/// <summary>One request for the corpus and how the client behaves on its connection.</summary>
public sealed record CorpusRequest(byte[] Bytes, ClientBehaviour Behaviour);

public enum ClientBehaviour
{
    /// <summary>Sends the request and reads the answer.</summary>
    Complete,

    /// <summary>Connects and closes without a byte (HAProxy logs <c>&lt;BADREQ&gt;</c> with <c>CR</c>).</summary>
    CloseAtOnce,

    /// <summary>Sends part of the headers and waits past <c>timeout http-request</c> (408, <c>cR</c>).</summary>
    Stall,
}
