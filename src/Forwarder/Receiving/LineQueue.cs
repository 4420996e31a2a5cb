using System.Buffers.Binary;

namespace HaproxyKafka.Forwarder.Receiving;

/// <summary>
/// The bounded hand-off between the receive thread and the workers: one byte ring of <c>socket.queue_bytes</c> that
/// holds each received datagram once, exactly as long as it is, until a worker is done with it. The receive thread
/// (the only writer) appends a batch of datagrams with <see cref="TryAppend"/>, which never blocks and refuses a line
/// when the ring has no room for it, then makes the whole batch visible with one <see cref="Publish"/> and at most
/// one wake-up. Workers take runs of lines (<see cref="TryTake"/>), sleep without spinning while there are none, and
/// give the bytes back per run (<see cref="Return"/>).
/// </summary>
/// <remarks>
/// Ring positions only grow; <c>position % capacity</c> is the offset. A record is a 16-byte header (length, 4 spare
/// bytes, receive timestamp) and the datagram padded to 8 bytes; a length of -1 marks "continue at the ring's
/// start". When the ring is empty the next batch starts at offset 0 again, so only as many pages as the backlog
/// needs are touched (resident memory follows the largest backlog, not the budget).
/// </remarks>
internal sealed class LineQueue : IDisposable
{
    internal const int HeaderBytes = 16;
    private const int WrapMarker = -1;

    // A run a worker takes is cut at this many lines or bytes, so its bytes come back to the ring in good time.
    private const int MaxRunLines = 512;
    private const int MaxRunBytes = 512 * 1024;

    private readonly byte[] _ring;
    private readonly object _gate = new();

    // Sleeping and waking, apart from _gate: a wake never waits for a worker walking a run under _gate.
    private readonly IdleWorkers _idle = new();
    private readonly Queue<LineBatch> _taken = new();
    private readonly Stack<LineBatch> _spare = new();

    // Receive thread only (published with Volatile.Write).
    private long _write;
    private long _appendedLines;
    private long _published;
    private long _publishedLines;

    // Workers, under _gate (and _released read by the receive thread).
    private long _read;
    private long _takenLines;
    private long _released;
    private long _handledLines;
    private bool _completed;

    public LineQueue(int capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 64 * 1024);

        // Uninitialized and never cleared: a page becomes resident only once a line is written into it.
        Capacity = capacityBytes & ~7;
        _ring = GC.AllocateUninitializedArray<byte>(Capacity);
    }

    /// <summary>Bytes the ring holds at most (<c>socket.queue_bytes</c>, rounded down to 8).</summary>
    public int Capacity { get; }

    /// <summary>Lines published and not yet taken by a worker.</summary>
    public long Depth
    {
        get
        {
            // The later counter is read first, so a reading is never negative.
            var taken = Volatile.Read(ref _takenLines);
            return Volatile.Read(ref _publishedLines) - taken;
        }
    }

    /// <summary>Bytes of the ring in use: lines queued or held by workers (with their headers and padding).</summary>
    public long BytesInUse
    {
        get
        {
            var released = Volatile.Read(ref _released);
            return Volatile.Read(ref _published) - released;
        }
    }

    /// <summary>Lines published and not yet handled: queued plus the ones workers are still on.</summary>
    public long Pending
    {
        get
        {
            var handled = Interlocked.Read(ref _handledLines);
            return Volatile.Read(ref _publishedLines) - handled;
        }
    }

    /// <summary>The largest datagram that can ever fit (an empty ring): larger ones are refused.</summary>
    public int MaxLine => Capacity - HeaderBytes;

    /// <summary>
    /// Receive thread only: copies a datagram into the ring, stamped with when it was received; not visible to
    /// workers until <see cref="Publish"/>. <c>false</c> (nothing written) when the ring has no room for it.
    /// </summary>
    public bool TryAppend(ReadOnlySpan<byte> datagram, long receivedAt)
    {
        var need = HeaderBytes + ((datagram.Length + 7) & ~7);
        var used = _write - Volatile.Read(ref _released);
        var offset = (int)(_write % Capacity);
        if (used == 0 && offset != 0 && TryRestartEmptyRing(offset))
        {
            offset = 0;
        }

        var skip = 0;
        if (offset + need > Capacity)
        {
            // Not enough room before the end: continue at the start.
            skip = Capacity - offset;
        }

        if (used + skip + need > Capacity)
        {
            return false;
        }

        if (skip > 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_ring.AsSpan(offset), WrapMarker);
            _write += skip;
            offset = 0;
        }

        var record = _ring.AsSpan(offset, need);
        BinaryPrimitives.WriteInt32LittleEndian(record, datagram.Length);
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], receivedAt);
        datagram.CopyTo(record[HeaderBytes..]);
        _write += need;
        _appendedLines++;
        return true;
    }

    /// <summary>
    /// Every position is equal (all published, taken and returned), so no worker holds a byte: all of them move to the
    /// next start of the ring, under the workers' lock because they move <c>_read</c> and <c>_released</c>.
    /// </summary>
    /// <remarks>Only if no worker holds the lock right now: the receive thread never waits for it.</remarks>
    private bool TryRestartEmptyRing(int offset)
    {
        if (!Monitor.TryEnter(_gate))
        {
            return false;
        }

        try
        {
            var start = _write + (Capacity - offset);
            _read = start;
            Volatile.Write(ref _published, start);
            Volatile.Write(ref _released, start);
            _write = start;
            return true;
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    /// <summary>Receive thread only: hands everything appended so far to the workers, waking one if all sleep.</summary>
    public void Publish()
    {
        if (_appendedLines == _publishedLines)
        {
            return;
        }

        Volatile.Write(ref _publishedLines, _appendedLines);
        Volatile.Write(ref _published, _write);

        // Pairs with the sleeper's announcement before its last look (TryTake): one of the two sees the other.
        Interlocked.MemoryBarrier();
        _idle.WakeOne();
    }

    /// <summary>
    /// Blocks until lines are published and returns a run of them (at most 512 lines or 512 KiB); <c>null</c> once
    /// the queue is completed and empty. The caller reports each line handled and returns the run when done.
    /// </summary>
    public LineBatch? TryTake()
    {
        while (true)
        {
            LineBatch? batch = null;
            var more = false;
            lock (_gate)
            {
                if (_read != Volatile.Read(ref _published))
                {
                    batch = TakeRun();
                    more = _read != Volatile.Read(ref _published);
                }
                else if (_completed)
                {
                    return null;
                }
            }

            if (batch is not null)
            {
                if (more)
                {
                    // More is waiting than one run: let another worker take it.
                    _idle.WakeOne();
                }

                return batch;
            }

            var generation = _idle.Announce();

            // The last look, after announcing the sleep: a publish from now on sees the sleeper and wakes it.
            if (Volatile.Read(ref _read) == Volatile.Read(ref _published) && !Volatile.Read(ref _completed))
            {
                _idle.Sleep(generation);
            }
            else
            {
                _idle.Withdraw();
            }
        }
    }

    private LineBatch TakeRun()
    {
        var batch = _spare.Count > 0 ? _spare.Pop() : new LineBatch(_ring);
        var published = Volatile.Read(ref _published);
        var end = _read;
        var lines = 0;
        while (end < published && lines < MaxRunLines && end - _read < MaxRunBytes)
        {
            var offset = (int)(end % Capacity);
            var length = BinaryPrimitives.ReadInt32LittleEndian(_ring.AsSpan(offset));
            if (length == WrapMarker)
            {
                end += Capacity - offset;
                continue;
            }

            end += HeaderBytes + ((length + 7) & ~7);
            lines++;
        }

        batch.Reset(_read, end, lines, Capacity);
        Volatile.Write(ref _read, end);
        Volatile.Write(ref _takenLines, _takenLines + lines);
        _taken.Enqueue(batch);
        return batch;
    }

    /// <summary>One line of a run is handled (delivered to librdkafka, dead-lettered or dropped): no longer pending.</summary>
    public void Handled() => Interlocked.Increment(ref _handledLines);

    /// <summary>A worker is done with a run: its bytes go back to the ring once every earlier run is back too.</summary>
    public void Return(LineBatch batch)
    {
        lock (_gate)
        {
            batch.Done = true;
            while (_taken.Count > 0 && _taken.Peek().Done)
            {
                var done = _taken.Dequeue();
                Volatile.Write(ref _released, done.End);
                done.Done = false;
                _spare.Push(done);
            }
        }
    }

    /// <summary>No more lines will be published; workers drain what is there and stop.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            Volatile.Write(ref _completed, true);
        }

        _idle.WakeAll();
    }

    public void Dispose()
    {
        // Nothing native: the ring is managed memory. Kept so the pipeline's disposal order stays explicit.
    }
}
