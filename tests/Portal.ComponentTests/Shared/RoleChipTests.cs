using Bunit;
using Portal.Core.Teams;
using Portal.Web.Components.Shared;

namespace Portal.ComponentTests.Shared;

public sealed class RoleChipTests : PortalComponentTest
{
    [Theory]
    [InlineData(TeamRole.Viewer, "mud-chip-color-default")]
    [InlineData(TeamRole.Contributor, "mud-chip-color-primary")]
    [InlineData(TeamRole.Approver, "mud-chip-color-warning")]
    [InlineData(TeamRole.TeamAdmin, "mud-chip-color-error")]
    public void Team_role_is_named_and_coloured_by_weight(TeamRole role, string colourClass)
    {
        var chip = Render<RoleChip>(p => p.Add(c => c.Role, role));

        var element = chip.Find("[data-testid=role-chip]");
        Assert.Equal(role.ToString(), element.TextContent.Trim());
        Assert.Contains(colourClass, element.ClassList);
    }

    [Fact]
    public void Global_role_wins_over_team_role()
    {
        var chip = Render<RoleChip>(p => p.Add(c => c.Global, GlobalRole.Auditor).Add(c => c.Role, TeamRole.Viewer));

        Assert.Equal("Auditor", chip.Find("[data-testid=role-chip]").TextContent.Trim());
    }
}
