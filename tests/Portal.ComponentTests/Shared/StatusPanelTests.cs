using Bunit;
using Portal.Web.Components.Shared;

namespace Portal.ComponentTests.Shared;

public sealed class StatusPanelTests : PortalComponentTest
{
    [Theory]
    [InlineData(404, "Not found", "not a member")]
    [InlineData(403, "You don't have access to this", "team admin can grant")]
    [InlineData(500, "Something went wrong", "try again")]
    public void Status_explains_itself_in_plain_words(int status, string title, string hint)
    {
        var panel = Render<StatusPanel>(p => p.Add(c => c.Status, status));

        Assert.Equal(title, panel.Find("[data-testid=status-title]").TextContent.Trim());
        Assert.Contains(hint, panel.Markup);
        Assert.DoesNotContain("Exception", panel.Markup);
    }
}
