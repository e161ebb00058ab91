using System.Text;
using Semver;

namespace Portal.Core.Versions;

/// <summary>
/// SemVer 2.0 precedence as a stored key, so that the database sorts and pages versions the way the
/// spec orders them (prerelease identifiers included) with a plain index. The key is the hex spelling
/// of bytes whose order is precedence: major, minor and patch as 4-byte big-endian numbers; then 0xFF
/// for a release, or 0x01 and each prerelease identifier, a numeric one as 0x02, its length and its
/// digits (numbers compare by length, then digit by digit: SemVer forbids leading zeros), an
/// alphanumeric one as 0x03 and its ASCII bytes, each closed by 0x00 so that a shorter run of equal
/// identifiers sorts first. Hex digits sort alike under every collation the three providers may use,
/// so ordinal order of the key needs no collation setting.
/// </summary>
public static class VersionOrder
{
    /// <summary>The longest key: 100 characters of version give at most 12 + 1 + 2 × 100 bytes.</summary>
    public const int MaxKeyLength = 2 * (13 + 2 * 100);

    /// <summary>The key of a version string, or "" for a string that is not strict SemVer.</summary>
    public static string KeyOf(string version) =>
        SemVersion.TryParse(version, SemVersionStyles.Strict, out var parsed) && parsed.Major <= int.MaxValue && parsed.Minor <= int.MaxValue
            && parsed.Patch <= int.MaxValue
            ? KeyOf(parsed)
            : "";

    public static string KeyOf(SemVersion version)
    {
        var bytes = new List<byte>(32);
        foreach (var number in new[] { version.Major, version.Minor, version.Patch })
        {
            var n = (uint)number;
            bytes.AddRange([(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
        }
        if (!version.IsPrerelease)
            bytes.Add(0xFF);
        else
        {
            bytes.Add(0x01);
            foreach (var identifier in version.PrereleaseIdentifiers)
            {
                var text = identifier.Value;
                if (identifier.NumericValue is not null)
                    bytes.AddRange([0x02, (byte)text.Length]);
                else
                    bytes.Add(0x03);
                bytes.AddRange(Encoding.ASCII.GetBytes(text));
                bytes.Add(0x00);
            }
        }
        return Convert.ToHexStringLower(bytes.ToArray());
    }

    /// <summary>Whether a page cursor is a key as this class writes them.</summary>
    public static bool IsKey(string? cursor) =>
        cursor is { Length: > 0 and <= MaxKeyLength } && cursor.Length % 2 == 0 && cursor.All(char.IsAsciiHexDigitLower);
}
