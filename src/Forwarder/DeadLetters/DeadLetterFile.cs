using System.Buffers;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace HaproxyKafka.Forwarder.DeadLetters;

/// <summary>
/// The local last resort when Kafka cannot take a dead letter either: one JSON object per line. A batch is written
/// with one write and made durable with one <c>fsync</c>; a batch the disk refuses (full, read-only, gone) is cut
/// back off the file, so the file never holds half a record and the next batch starts on a line of its own.
/// </summary>
internal sealed class DeadLetterFile(string path) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private SafeFileHandle? _handle;
    private long _length;
    private long _syncs;

    public string Path { get; } = path;

    /// <summary><c>fsync</c> calls made so far: one per batch written, however many records it held.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Appends one record; returns the error text when the file cannot be written.</summary>
    public string? TryAppend(DeadLetter letter) => TryAppend([letter]);

    /// <summary>Appends the records and syncs once; all or none are in the file afterwards. Returns the error text on failure.</summary>
    public string? TryAppend(IReadOnlyList<DeadLetter> letters)
    {
        lock (_lock)
        {
            _buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(_buffer))
            {
                foreach (var letter in letters)
                {
                    JsonSerializer.Serialize(json, letter, DeadLetterJson.Default.DeadLetter);
                    json.Flush();
                    json.Reset();
                    _buffer.Write("\n"u8);
                }
            }

            try
            {
                if (_handle is null)
                {
                    Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
                    _handle = File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
                    _length = WholeRecordsLength(_handle);
                    RandomAccess.SetLength(_handle, _length);
                }

                RandomAccess.Write(_handle, _buffer.WrittenSpan, _length);
                RandomAccess.FlushToDisk(_handle);
                Interlocked.Increment(ref _syncs);
                _length += _buffer.WrittenCount;
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                CutBack();
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
            _handle?.Dispose();
            _handle = null;
        }
    }

    /// <summary>
    /// Where the last whole record ends. A process killed during a write (or a power cut before the sync) can leave
    /// the start of a record with no newline; the next record must not be glued to it, and nothing in it was counted
    /// (its batch never completed), so it is cut off.
    /// </summary>
    private static long WholeRecordsLength(SafeFileHandle handle)
    {
        var chunk = new byte[4096];
        for (var end = RandomAccess.GetLength(handle); end > 0;)
        {
            var start = Math.Max(0, end - chunk.Length);
            var read = RandomAccess.Read(handle, chunk.AsSpan(0, (int)(end - start)), start);
            var newline = chunk.AsSpan(0, read).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                return start + newline + 1;
            }

            end = start;
        }

        return 0;
    }

    /// <summary>Removes what part of a failed batch reached the file, then closes it so the next batch opens it afresh.</summary>
    private void CutBack()
    {
        if (_handle is null)
        {
            return;
        }

        try
        {
            RandomAccess.SetLength(_handle, _length);
        }
        catch (IOException)
        {
            // Shrinking needs no space; if even that fails the file is gone or read-only and the next open says so.
        }

        _handle.Dispose();
        _handle = null;
    }
}
