using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace HaproxyKafka.Forwarder.Spool;

/// <summary>
/// An append-only on-disk spool of messages Kafka could not take, replayed in order. Records (<see cref="SpoolRecordCodec"/>)
/// go into numbered segment files; a persisted cursor (<see cref="SpoolCursor"/>) marks what replay has had
/// acknowledged, and whole segments behind it are deleted. Opening after a crash cuts a torn tail off the last
/// segment (counted in <see cref="TornTails"/>); damage further in is skipped during replay and counted in
/// <see cref="CorruptSkipped"/>, and the records after it are replayed. Bounded by <see cref="SpoolOptions.MaxBytes"/>:
/// appends past it, and appends the disk refuses, are refused with a reason, never thrown.
/// Thread-safe: appends (workers, delivery reports) and one replayer may run at once.
/// </summary>
internal sealed class DiskSpool : IDisposable
{
    private const string SegmentSuffix = ".seg";
    private const int ReadWindow = 1 << 20;

    private readonly SpoolOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Segment> _segments = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly ITimer? _syncTimer;
    private SpoolPosition _cursor;
    private SpoolPosition _read;
    private long _bytes;
    private long _records;
    private DateTimeOffset? _oldest;
    private bool _dirty;
    private long _appended;
    private long _replayed;
    private long _corruptSkipped;
    private long _tornTails;
    private long _syncs;
    private bool _disposed;
    private bool _damaged;
    private int _window = ReadWindow;

    private DiskSpool(SpoolOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        if (options.FsyncInterval > TimeSpan.Zero)
        {
            _syncTimer = time.CreateTimer(_ => SyncIfDirty(), null, options.FsyncInterval, options.FsyncInterval);
        }
    }

    /// <summary>Bytes of segment files on disk (what <c>max_bytes</c> bounds).</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Records spooled and not yet acknowledged.</summary>
    public long Records
    {
        get
        {
            lock (_lock)
            {
                return _records;
            }
        }
    }

    /// <summary>How long ago the oldest unacknowledged record was received; zero when the spool is empty.</summary>
    public TimeSpan OldestAge
    {
        get
        {
            lock (_lock)
            {
                return _oldest is { } oldest ? _time.GetUtcNow() - oldest : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Records appended since start.</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Records replayed and acknowledged since start (its rate is the replay rate).</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>Damaged regions skipped during replay (a flipped bit, a torn record inside a segment).</summary>
    public long CorruptSkipped => Interlocked.Read(ref _corruptSkipped);

    /// <summary>Segments whose incomplete last record (a write cut short by a crash) was cut off at open.</summary>
    public long TornTails => Interlocked.Read(ref _tornTails);

    /// <summary><c>fsync</c> calls on segment files since start.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    public SpoolOptions Options => _options;

    public static DiskSpool Open(SpoolOptions options, TimeProvider? time = null)
    {
        Directory.CreateDirectory(options.Directory);
        var spool = new DiskSpool(options, time ?? TimeProvider.System);
        spool.Recover();
        return spool;
    }

    /// <summary>Appends in order; stops at the first record that does not fit or cannot be written and says why.</summary>
    public SpoolAppend Append(IReadOnlyList<SpoolRecord> records)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var appended = 0;
            var refusal = SpoolRefusal.None;
            string? error = null;
            _buffer.ResetWrittenCount();
            var segment = _segments[^1];
            var buffered = 0;
            foreach (var record in records)
            {
                var size = SpoolRecordCodec.Size(record);
                if (_bytes + _buffer.WrittenCount + size > _options.MaxBytes)
                {
                    refusal = SpoolRefusal.Full;
                    break;
                }

                if (segment.Length + _buffer.WrittenCount > 0 && segment.Length + _buffer.WrittenCount + size > _options.SegmentBytes)
                {
                    error = WriteBuffered(segment);
                    if (error is not null)
                    {
                        break;
                    }

                    buffered = 0;
                    TrySync(segment);
                    segment = StartSegment(segment.Number + 1);
                }

                SpoolRecordCodec.Write(_buffer, record);
                appended++;
                buffered++;
            }

            error ??= WriteBuffered(segment);
            if (error is not null)
            {
                // What reached the disk before the failure is kept; the records in the failed write are not.
                appended -= buffered;
                refusal = SpoolRefusal.DiskError;
            }
            else if (_options.FsyncInterval == TimeSpan.Zero)
            {
                TrySync(segment);
            }

            if (appended > 0 && _records == 0)
            {
                _oldest = records[0].ReceivedAt;
            }

            _records += appended;
            Interlocked.Add(ref _appended, appended);
            return new SpoolAppend(appended, refusal, error);
        }
    }

    /// <summary>
    /// Reads up to <paramref name="maxRecords"/> records after the last one read (the cursor after <see cref="Rewind"/>
    /// or at start). Damage is skipped and counted. Empty when everything spooled has been read.
    /// </summary>
    public IReadOnlyList<SpoolEntry> Read(int maxRecords)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entries = new List<SpoolEntry>();
            while (entries.Count < maxRecords)
            {
                var segment = _segments.Find(s => s.Number == _read.Segment);
                if (segment is null || _read.Offset >= segment.Length)
                {
                    var next = _segments.Find(s => s.Number > _read.Segment);
                    if (next is null)
                    {
                        break;
                    }

                    _read = new SpoolPosition(next.Number, 0);
                    continue;
                }

                var window = Math.Max(ReadWindow, _window);
                var data = segment.ReadAt(_read.Offset, window);
                var atSegmentEnd = _read.Offset + data.Length >= segment.Length;
                var offset = 0;
                while (entries.Count < maxRecords && offset < data.Length)
                {
                    var status = SpoolRecordCodec.TryRead(data.AsSpan(offset), out var record, out var consumed);
                    if (status == DecodeStatus.Ok)
                    {
                        offset += consumed;
                        entries.Add(new SpoolEntry(record!, new SpoolPosition(segment.Number, _read.Offset + offset)));
                        _damaged = false;
                        continue;
                    }

                    if (status == DecodeStatus.Incomplete && !atSegmentEnd)
                    {
                        // The record runs past this window: read again from it, with a window that holds it.
                        _window = offset == 0 ? window * 2 : window;
                        break;
                    }

                    // Corrupt, or a record cut short inside a segment (a torn tail was cut at open): skip to the next magic.
                    if (!_damaged)
                    {
                        Interlocked.Increment(ref _corruptSkipped);
                        _damaged = true;
                    }

                    offset += SpoolRecordCodec.NextCandidate(data.AsSpan(offset));
                }

                _read = new SpoolPosition(segment.Number, _read.Offset + offset);
                if (offset == 0 && _window <= window)
                {
                    break;
                }
            }

            return entries;
        }
    }

    /// <summary>Replay of everything up to <paramref name="end"/> (<paramref name="records"/> records) is delivered: move the cursor and persist it.</summary>
    public void Acknowledge(SpoolPosition end, int records)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (end.CompareTo(_cursor) <= 0)
            {
                return;
            }

            _cursor = end;
            _records = Math.Max(0, _records - records);
            Interlocked.Add(ref _replayed, records);
            var write = _segments[^1];
            var at = _segments.Find(s => s.Number == _cursor.Segment);
            if (at is not null && at != write && _cursor.Offset >= at.Length)
            {
                // The end of a full segment is the start of the next: the finished one can go.
                _cursor = new SpoolPosition(_segments[_segments.IndexOf(at) + 1].Number, 0);
                if (_read.CompareTo(_cursor) < 0)
                {
                    _read = _cursor;
                }
            }

            if (_cursor.Segment == write.Number && _cursor.Offset >= write.Length && _read.CompareTo(_cursor) <= 0)
            {
                // All read and acknowledged: start afresh so the spool's files shrink to nothing.
                _records = 0;
                if (write.Length > 0)
                {
                    StartSegment(write.Number + 1);
                    _cursor = _read = new SpoolPosition(write.Number + 1, 0);
                }
            }

            DeleteBefore(_cursor.Segment);
            SpoolCursor.Save(_options.Directory, _cursor);
            _oldest = _records == 0 ? null : PeekTime(_cursor) ?? _oldest;
        }
    }

    /// <summary>Delivery failed: the next read starts again at the acknowledged cursor (replay is at least once).</summary>
    public void Rewind()
    {
        lock (_lock)
        {
            _read = _cursor;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _syncTimer?.Dispose();
            foreach (var segment in _segments)
            {
                if (_dirty && segment == _segments[^1])
                {
                    TrySync(segment);
                }

                segment.Dispose();
            }
        }
    }

    private static string SegmentPath(string directory, long number) =>
        Path.Combine(directory, number.ToString("D16", CultureInfo.InvariantCulture) + SegmentSuffix);

    private void Recover()
    {
        var numbers = Directory.EnumerateFiles(_options.Directory, "*" + SegmentSuffix)
            .Select(p => long.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(n => n >= 0)
            .Order()
            .ToList();
        var saved = SpoolCursor.Load(_options.Directory);
        var first = numbers.Count > 0 ? numbers[0] : saved?.Segment ?? 0;
        _cursor = saved is { } c && c.Segment >= first ? c : new SpoolPosition(first, 0);
        foreach (var number in numbers)
        {
            if (number < _cursor.Segment)
            {
                File.Delete(SegmentPath(_options.Directory, number));
            }
            else
            {
                _segments.Add(Segment.Open(SegmentPath(_options.Directory, number), number));
            }
        }

        if (_segments.Count == 0)
        {
            StartSegment(Math.Max(first, _cursor.Segment));
            _cursor = new SpoolPosition(_segments[0].Number, 0);
        }

        if (_segments[0].Number > _cursor.Segment || _cursor.Offset > _segments[0].Length)
        {
            _cursor = new SpoolPosition(_segments[0].Number, 0);
        }

        foreach (var segment in _segments)
        {
            Scan(segment, segment.Number == _cursor.Segment ? _cursor.Offset : 0, isLast: segment == _segments[^1]);
            _bytes += segment.Length;
        }

        _read = _cursor;
    }

    /// <summary>Counts the records and finds the oldest; cuts a torn tail off the last segment (the one a crash interrupted).</summary>
    private void Scan(Segment segment, long from, bool isLast)
    {
        var data = segment.ReadFrom(from);
        var offset = 0;
        var lastGood = 0;
        while (offset < data.Length)
        {
            var status = SpoolRecordCodec.TryRead(data.AsSpan(offset), out var record, out var consumed);
            if (status == DecodeStatus.Ok)
            {
                _records++;
                _oldest ??= record!.ReceivedAt;
                offset += consumed;
                lastGood = offset;
            }
            else
            {
                offset += SpoolRecordCodec.NextCandidate(data.AsSpan(offset));
            }
        }

        if (isLast && lastGood < data.Length)
        {
            segment.Truncate(from + lastGood);
            Interlocked.Increment(ref _tornTails);
        }
    }

    private Segment StartSegment(long number)
    {
        var segment = Segment.Open(SegmentPath(_options.Directory, number), number);
        _segments.Add(segment);
        return segment;
    }

    private void DeleteBefore(long number)
    {
        while (_segments.Count > 1 && _segments[0].Number < number)
        {
            var old = _segments[0];
            _segments.RemoveAt(0);
            _bytes -= old.Length;
            old.Dispose();
            File.Delete(old.Path);
        }
    }

    /// <summary>Writes the buffered records at the segment's end; on failure cuts back what part of them landed.</summary>
    private string? WriteBuffered(Segment segment)
    {
        if (_buffer.WrittenCount == 0)
        {
            return null;
        }

        var error = segment.TryAppend(_buffer.WrittenSpan);
        if (error is null)
        {
            _bytes += _buffer.WrittenCount;
            _dirty = true;
        }

        _buffer.ResetWrittenCount();
        return error;
    }

    private void Sync(Segment segment)
    {
        segment.Sync();
        Interlocked.Increment(ref _syncs);
        _dirty = false;
    }

    private void TrySync(Segment segment)
    {
        try
        {
            Sync(segment);
        }
        catch (IOException)
        {
            // The next append reports the disk's state; a timer must not throw.
        }
    }

    private void SyncIfDirty()
    {
        lock (_lock)
        {
            if (!_disposed && _dirty)
            {
                TrySync(_segments[^1]);
            }
        }
    }

    private DateTimeOffset? PeekTime(SpoolPosition at)
    {
        var segment = _segments.Find(s => s.Number == at.Segment);
        var header = segment?.ReadAt(at.Offset, SpoolRecordCodec.HeaderBytes + 8);
        return header is { Length: SpoolRecordCodec.HeaderBytes + 8 }
            ? DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(SpoolRecordCodec.HeaderBytes)))
            : null;
    }

    /// <summary>One segment file: its committed length and one handle for appending and reading.</summary>
    private sealed class Segment : IDisposable
    {
        private readonly SafeFileHandle _handle;

        private Segment(string path, long number, SafeFileHandle handle)
        {
            Path = path;
            Number = number;
            _handle = handle;
            Length = RandomAccess.GetLength(handle);
        }

        public string Path { get; }

        public long Number { get; }

        public long Length { get; private set; }

        public static Segment Open(string path, long number) =>
            new(path, number, File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read));

        public byte[] ReadFrom(long offset) => ReadAt(offset, (int)Math.Max(0, Length - offset));

        public byte[] ReadAt(long offset, int count)
        {
            count = (int)Math.Min(count, Math.Max(0, Length - offset));
            var bytes = new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = RandomAccess.Read(_handle, bytes.AsSpan(read), offset + read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read == count ? bytes : bytes[..read];
        }

        public string? TryAppend(ReadOnlySpan<byte> bytes)
        {
            try
            {
                RandomAccess.Write(_handle, bytes, Length);
                Length += bytes.Length;
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                try
                {
                    RandomAccess.SetLength(_handle, Length);
                }
                catch (IOException)
                {
                    // Shrinking needs no space; a torn tail left here is cut at the next open.
                }

                return e.Message;
            }
        }

        public void Truncate(long length)
        {
            RandomAccess.SetLength(_handle, length);
            RandomAccess.FlushToDisk(_handle);
            Length = length;
        }

        public void Sync() => RandomAccess.FlushToDisk(_handle);

        public void Dispose() => _handle.Dispose();
    }
}
