using Portal.Core.Versions;

namespace Portal.UnitTests.Versions;

public sealed class AssetVersionTests
{
    [Theory]
    [InlineData("1.0.0")]
    [InlineData("0.3.12")]
    [InlineData("2.0.0-rc.1")]
    public void SemVer_versions_parse(string text) => Assert.Equal(text, AssetVersion.ParseVersion(text).Value.ToString());

    [Theory]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0+sha.5114f85")]
    [InlineData("1.0.0-01")]
    [InlineData("")]
    public void Other_texts_are_refused(string text) => Assert.Equal("version.invalid", AssetVersion.ParseVersion(text).Error?.Code);

    [Fact]
    public void Next_versions_follow_the_highest_release()
    {
        var next = AssetVersion.SuggestNext(["1.2.0", "1.10.3", "1.9.9", "0.9.0"]);

        Assert.Equal(("1.10.4", "1.11.0", "2.0.0"), next);
    }

    [Fact]
    public void A_prerelease_suggests_its_release()
    {
        Assert.Equal(("2.0.0", "2.0.0", "2.0.0"), AssetVersion.SuggestNext(["1.4.0", "2.0.0-rc.2"]));
    }

    [Fact]
    public void First_version_is_suggested_for_an_empty_asset()
    {
        Assert.Equal(("0.1.0", "0.1.0", "1.0.0"), AssetVersion.SuggestNext([]));
    }
}
