using Portal.Core.Common;
using Portal.Core.Teams;

namespace Portal.UnitTests.Teams;

public sealed class TeamTests
{
    [Theory]
    [InlineData("marketing")]
    [InlineData("risk-ops-2")]
    [InlineData("a")]
    public void Valid_slugs_are_accepted(string slug) => Assert.True(Slug.IsValid(slug));

    [Theory]
    [InlineData("")]
    [InlineData("Marketing")]
    [InlineData("-ops")]
    [InlineData("ops-")]
    [InlineData("ops/../x")]
    [InlineData("ops team")]
    [InlineData("ñandú")]
    public void Unsafe_slugs_are_refused(string slug) => Assert.False(Slug.IsValid(slug));

    [Fact]
    public void Slug_longer_than_64_characters_is_refused() => Assert.False(Slug.IsValid(new string('a', 65)));

    [Fact]
    public void Validation_reports_each_bad_field()
    {
        var error = Team.Validate("Bad Slug", "", new string('x', Team.MaxDescriptionLength + 1));

        Assert.NotNull(error);
        Assert.Equal("team.invalid", error.Code);
        Assert.Equal(["description", "name", "slug"], error.Fields!.Keys.Order());
    }

    [Fact]
    public void Valid_team_passes_validation() => Assert.Null(Team.Validate("finance", "Finance", "Forecasts"));
}
