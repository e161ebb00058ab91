using Portal.Core.Teams;

namespace Portal.UnitTests.Teams;

public sealed class GroupMappingTests
{
    [Theory]
    [InlineData("marketing:Contributor", "marketing", TeamRole.Contributor)]
    [InlineData("finance:TeamAdmin", "finance", TeamRole.TeamAdmin)]
    [InlineData(" risk-ops : Viewer ", "risk-ops", TeamRole.Viewer)]
    public void Team_grant_is_parsed(string text, string team, TeamRole role)
    {
        var grant = RoleGrant.Parse(text);

        Assert.True(grant.IsSuccess);
        Assert.Equal(team, grant.Value.TeamSlug);
        Assert.Equal(role, grant.Value.TeamRole);
        Assert.Null(grant.Value.GlobalRole);
    }

    [Fact]
    public void Global_grant_is_parsed()
    {
        var grant = RoleGrant.Parse("global:Auditor");

        Assert.True(grant.IsSuccess);
        Assert.Equal(GlobalRole.Auditor, grant.Value.GlobalRole);
        Assert.Null(grant.Value.TeamSlug);
    }

    [Theory]
    [InlineData("marketing")]
    [InlineData("marketing:Owner")]
    [InlineData("Marketing:Viewer")]
    [InlineData("global:Root")]
    [InlineData("marketing:contributor")]
    [InlineData("marketing:5")]
    [InlineData(":Viewer")]
    public void Malformed_grant_is_refused_with_mapping_invalid(string text)
    {
        var grant = RoleGrant.Parse(text);

        Assert.False(grant.IsSuccess);
        Assert.Equal("mapping.invalid", grant.Error!.Code);
    }

    [Fact]
    public void Mapping_error_names_the_configuration_key()
    {
        var mapping = GroupMapping.Parse(new Dictionary<string, string[]> { ["mkt"] = ["marketing:Boss"] });

        Assert.False(mapping.IsSuccess);
        Assert.Contains("Sso:GroupMappings:mkt", mapping.Error!.Message);
    }

    [Fact]
    public void Resolve_returns_grants_of_known_groups_only_once()
    {
        var mapping = GroupMapping.Parse(new Dictionary<string, string[]>
        {
            ["mkt"] = ["marketing:Contributor", "finance:Viewer"],
            ["aud"] = ["global:Auditor"],
        }).Value;

        var grants = mapping.Resolve(["mkt", "unknown", "mkt", "aud"]).ToList();

        Assert.Equal(3, grants.Count);
        Assert.Contains(grants, g => g.Group == "mkt" && g.Grant.TeamSlug == "finance" && g.Grant.TeamRole == TeamRole.Viewer);
        Assert.Contains(grants, g => g.Group == "aud" && g.Grant.GlobalRole == GlobalRole.Auditor);
    }
}
