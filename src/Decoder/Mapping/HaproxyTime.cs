namespace HaproxyKafka.Decoder.Mapping;

/// <summary>
/// HAProxy's <c>%tr</c> (<c>dd/Mon/yyyy:HH:MM:SS.mmm</c>, the host's local time) to UTC. HAProxy writes no offset,
/// so the zone is the forwarder's own (the same host); in a fall-back hour the earlier (daylight) reading cannot be
/// told apart and standard time is assumed. Production cache hosts run in UTC, where this is exact.
/// </summary>
public sealed class HaproxyTime
{
    private static ReadOnlySpan<byte> Months => "JanFebMarAprMayJunJulAugSepOctNovDec"u8;

    private readonly TimeZoneInfo _zone;
    private readonly bool _isUtc;

    public HaproxyTime(TimeZoneInfo zone)
    {
        _zone = zone;
        _isUtc = zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime;
    }

    /// <summary>
    /// Writes <paramref name="text"/> as <see cref="WriteIso8601"/> writes its UTC time; false, writing nothing, when it
    /// is not a valid <c>%tr</c>. In a UTC zone the digits are copied as they are: the same bytes without the
    /// round trip through <see cref="DateTime"/>, which is most of the cost of this field.
    /// </summary>
    public bool TryWriteUtc(JsonBuffer output, ReadOnlySpan<byte> text)
    {
        if (!_isUtc)
        {
            if (!TryToUtc(text, out var utc))
            {
                return false;
            }

            WriteIso8601(output, utc);
            return true;
        }

        if (!TryRead(text, out var month, out _, out _, out _, out _, out _, out _))
        {
            return false;
        }

        var slot = output.Reserve(22);
        slot[0] = (byte)'"';
        text.Slice(7, 4).CopyTo(slot[1..]);
        slot[5] = (byte)'-';
        slot[6] = (byte)('0' + (month / 10));
        slot[7] = (byte)('0' + (month % 10));
        slot[8] = (byte)'-';
        text[..2].CopyTo(slot[9..]);
        slot[11] = (byte)'T';
        text.Slice(12, 8).CopyTo(slot[12..]); // HH:MM:SS, already in ISO 8601's shape
        slot[20] = (byte)'Z';
        slot[21] = (byte)'"';
        output.Advance(22);
        return true;
    }

    public bool TryToUtc(ReadOnlySpan<byte> text, out DateTime utc)
    {
        utc = default;
        if (!TryRead(text, out var month, out var day, out var year, out var hour, out var minute, out var second, out var ms))
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, ms, DateTimeKind.Unspecified);
        if (_isUtc)
        {
            utc = DateTime.SpecifyKind(local, DateTimeKind.Utc);
            return true;
        }

        // A time inside a spring-forward gap cannot come from a correct clock; read it with the standard offset.
        utc = _zone.IsInvalidTime(local)
            ? DateTime.SpecifyKind(local - _zone.BaseUtcOffset, DateTimeKind.Utc)
            : TimeZoneInfo.ConvertTimeToUtc(local, _zone);
        return true;
    }

    /// <summary>Checks <c>dd/Mon/yyyy:HH:MM:SS.mmm</c> and reads its parts (month 1-12).</summary>
    private static bool TryRead(ReadOnlySpan<byte> text, out int month, out int day, out int year, out int hour, out int minute, out int second, out int ms)
    {
        month = day = year = hour = minute = second = ms = 0;
        if (text.Length != 24 || text[2] != (byte)'/' || text[6] != (byte)'/' || text[11] != (byte)':' ||
            text[14] != (byte)':' || text[17] != (byte)':' || text[20] != (byte)'.')
        {
            return false;
        }

        var monthAt = Months.IndexOf(text.Slice(3, 3));
        if (monthAt < 0 || monthAt % 3 != 0 ||
            !Digits(text[..2], out day) || !Digits(text.Slice(7, 4), out year) || !Digits(text.Slice(12, 2), out hour) ||
            !Digits(text.Slice(15, 2), out minute) || !Digits(text.Slice(18, 2), out second) || !Digits(text.Slice(21, 3), out ms) ||
            year < 1970 || hour > 23 || minute > 59 || second > 59 || day < 1 || day > DateTime.DaysInMonth(year, (monthAt / 3) + 1))
        {
            return false;
        }

        month = (monthAt / 3) + 1;
        return true;
    }

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ssZ</c> (seconds precision, as Wikimedia's downstream expects).</summary>
    public static void WriteIso8601(JsonBuffer output, DateTime utc)
    {
        var slot = output.Reserve(22);
        slot[0] = (byte)'"';
        Put(slot.Slice(1, 4), utc.Year);
        slot[5] = (byte)'-';
        Put(slot.Slice(6, 2), utc.Month);
        slot[8] = (byte)'-';
        Put(slot.Slice(9, 2), utc.Day);
        slot[11] = (byte)'T';
        Put(slot.Slice(12, 2), utc.Hour);
        slot[14] = (byte)':';
        Put(slot.Slice(15, 2), utc.Minute);
        slot[17] = (byte)':';
        Put(slot.Slice(18, 2), utc.Second);
        slot[20] = (byte)'Z';
        slot[21] = (byte)'"';
        output.Advance(22);
    }

    private static void Put(Span<byte> slot, int value)
    {
        for (var i = slot.Length - 1; i >= 0; i--)
        {
            slot[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
