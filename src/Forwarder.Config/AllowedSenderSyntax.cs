using System.Globalization;
using System.Text.RegularExpressions;

namespace HaproxyKafka.Forwarder.Config;

/// <summary>What a <c>socket.allowed_uids</c> entry may be: a uid, or a name shadow-utils' <c>useradd</c> would accept.</summary>
internal static partial class AllowedSenderSyntax
{
    // (uid_t)-1 means "no uid" to the kernel (chown's "leave it"), so no sender carries it.
    private const uint NoUid = uint.MaxValue;

    /// <summary>True when <paramref name="text"/> is a uid (<paramref name="uid"/> set) or a user name (<paramref name="uid"/> null).</summary>
    public static bool TryRead(string text, out uint? uid)
    {
        uid = null;
        if (text.Length > 0 && text.All(char.IsAsciiDigit))
        {
            if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number != NoUid)
            {
                uid = number;
                return true;
            }

            return false;
        }

        return UserName().IsMatch(text);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$")]
    private static partial Regex UserName();
}
