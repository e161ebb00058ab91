using Bunit;
using Portal.Core.Teams;
using Portal.Web.Components.Shared;

namespace Portal.ComponentTests.Shared;

public sealed class ActivityListTests : PortalComponentTest
{
    private static TeamActivityItem Item(string action, string subjectId) =>
        new("marketing", "Marketing", new ActivityItem(1, DateTimeOffset.UtcNow.AddMinutes(-5), "Maya", action, "membership", subjectId));

    [Fact]
    public void Empty_list_says_so()
    {
        var list = Render<ActivityList>(p => p.Add(c => c.Items, []).Add(c => c.EmptyText, "No changes yet."));

        Assert.Equal("No changes yet.", list.Find("[data-testid=activity-empty]").TextContent.Trim());
    }

    [Fact]
    public void Events_show_actor_action_and_shortened_ids()
    {
        var id = Guid.NewGuid().ToString();

        var list = Render<ActivityList>(p => p.Add(c => c.Items, [Item("membership.granted", id)]).Add(c => c.ShowTeam, true));

        var row = list.Find("[data-testid=activity] tbody tr");
        Assert.Contains("Maya", row.TextContent);
        Assert.Contains("membership.granted", row.TextContent);
        Assert.Contains(id[..8], row.TextContent);
        Assert.DoesNotContain(id, row.TextContent);
        Assert.Equal("/teams/marketing", row.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void Team_column_is_hidden_inside_a_team()
    {
        var list = Render<ActivityList>(p => p.Add(c => c.Items, [Item("team.updated", "marketing")]));

        Assert.DoesNotContain("<th>Team</th>", list.Markup);
        Assert.Contains("marketing", list.Find("tbody").TextContent);
    }
}
