using System.Text.Json;

namespace HaproxyKafka.Forwarder.DeadLetters;

/// <summary>
/// The local last resort when Kafka cannot take a dead letter either: one JSON object per line, appended and flushed
/// per record (dead letters are rare; losing one to a crash is what this file exists to prevent).
/// </summary>
internal sealed class DeadLetterFile(string path) : IDisposable
{
    private readonly Lock _lock = new();
    private FileStream? _stream;

    public string Path { get; } = path;

    /// <summary>Appends one record; returns the error text when the file cannot be written.</summary>
    public string? TryAppend(DeadLetter letter)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(letter, DeadLetterJson.Default.DeadLetter);
        lock (_lock)
        {
            try
            {
                if (_stream is null)
                {
                    Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
                    _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
                }

                _stream.Write(bytes);
                _stream.WriteByte((byte)'\n');
                _stream.Flush(flushToDisk: true);
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _stream?.Dispose();
                _stream = null;
                return e.Message;
            }
        }
    }

    public static IEnumerable<DeadLetter> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 0)
            {
                yield return JsonSerializer.Deserialize(line, DeadLetterJson.Default.DeadLetter)
                    ?? throw new InvalidDataException($"{path}: a line is 'null', not a dead letter");
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }
}
