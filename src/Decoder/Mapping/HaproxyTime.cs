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

    public bool TryToUtc(ReadOnlySpan<byte> text, out DateTime utc)
    {
        utc = default;
        if (text.Length != 24 || text[2] != (byte)'/' || text[6] != (byte)'/' || text[11] != (byte)':' ||
            text[14] != (byte)':' || text[17] != (byte)':' || text[20] != (byte)'.')
        {
            return false;
        }

        var month = Months.IndexOf(text.Slice(3, 3));
        if (month < 0 || month % 3 != 0 ||
            !Digits(text[..2], out var day) || !Digits(text.Slice(7, 4), out var year) || !Digits(text.Slice(12, 2), out var hour) ||
            !Digits(text.Slice(15, 2), out var minute) || !Digits(text.Slice(18, 2), out var second) || !Digits(text.Slice(21, 3), out var ms) ||
            year < 1970 || hour > 23 || minute > 59 || second > 59 || day < 1 || day > DateTime.DaysInMonth(year, (month / 3) + 1))
        {
            return false;
        }

        var local = new DateTime(year, (month / 3) + 1, day, hour, minute, second, ms, DateTimeKind.Unspecified);
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
