using Portal.Core.Versions;
using Semver;

namespace Portal.UnitTests.Versions;

public sealed class VersionOrderTests
{
    /// <summary>The SemVer 2.0 spec's own precedence examples (section 11), lowest first.</summary>
    private static readonly string[] SpecOrder =
    [
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
        "2.0.0", "2.1.0", "2.1.1",
    ];

    [Fact]
    public void Keys_sort_the_specs_examples_in_precedence_order()
    {
        var shuffled = SpecOrder.Reverse().ToArray();
        var sorted = shuffled.OrderBy(VersionOrder.KeyOf, StringComparer.Ordinal).ToArray();
        Assert.Equal(SpecOrder, sorted);
    }

    [Theory]
    [InlineData("1.0.0-2", "1.0.0-10")]            // numeric identifiers compare as numbers
    [InlineData("1.0.0-10", "1.0.0-a")]            // numeric below alphanumeric
    [InlineData("1.0.0-alpha", "1.0.0-alpha-x")]   // a shorter identifier that is a prefix comes first
    [InlineData("1.0.0-Z", "1.0.0-a")]             // ASCII order: upper case before lower case
    [InlineData("1.0.0-rc.1", "1.0.0-rc.1.0")]     // fewer identifiers come first when the rest are equal
    [InlineData("9.99.999", "10.0.0")]
    [InlineData("1.2147483647.0", "2.0.0-0")]
    public void Lower_precedence_has_the_lower_key(string lower, string higher) =>
        Assert.True(string.CompareOrdinal(VersionOrder.KeyOf(lower), VersionOrder.KeyOf(higher)) < 0, $"{lower} < {higher}");

    [Fact]
    public void Keys_agree_with_the_semver_library_on_many_versions()
    {
        var random = new Random(20261125);
        string[] words = ["alpha", "beta", "rc", "a-b", "Z", "x1", "0", "1", "2", "10", "11", "99"];
        var versions = Enumerable.Range(0, 2000).Select(_ =>
        {
            var core = $"{random.Next(3)}.{random.Next(3)}.{random.Next(3)}";
            var parts = random.Next(4);
            return parts == 0 ? core : core + "-" + string.Join('.', Enumerable.Range(0, parts).Select(_ => words[random.Next(words.Length)]));
        }).Distinct().Select(v => SemVersion.Parse(v, SemVersionStyles.Strict)).ToList();

        var byLibrary = versions.OrderBy(v => v, SemVersion.PrecedenceComparer).Select(v => v.ToString());
        var byKey = versions.OrderBy(v => VersionOrder.KeyOf(v), StringComparer.Ordinal).Select(v => v.ToString());

        Assert.Equal(byLibrary, byKey);
    }

    [Fact]
    public void Keys_are_lower_case_hex_within_the_column_and_pass_as_cursors()
    {
        var longest = "1.0.0-" + string.Join('.', Enumerable.Repeat("1", 47));
        var key = VersionOrder.KeyOf(longest);
        Assert.True(key.Length <= VersionOrder.MaxKeyLength);
        Assert.True(VersionOrder.IsKey(key));
        Assert.False(VersionOrder.IsKey("not-a-key"));
        Assert.False(VersionOrder.IsKey("ABCD"));
        Assert.Equal("", VersionOrder.KeyOf("1.0"));
    }

    [Fact]
    public void Setting_a_versions_text_sets_its_key() =>
        Assert.Equal(VersionOrder.KeyOf("2.0.0-rc.1"), new AssetVersion { Version = "2.0.0-rc.1", CreatedBy = "t" }.SortKey);
}
