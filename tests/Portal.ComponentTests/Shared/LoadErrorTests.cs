using Bunit;
using Portal.Core.Common;
using Portal.Web.Components.Shared;

namespace Portal.ComponentTests.Shared;

public sealed class LoadErrorTests : PortalComponentTest
{
    [Fact]
    public void A_failed_load_is_shown_with_its_message()
    {
        var shown = Render<LoadError>(p => p.Add(c => c.Error, Error.Forbidden("access.denied", "Only TeamAdmins of finance see its API tokens.")));

        Assert.Contains("Only TeamAdmins of finance see its API tokens.", shown.Find("[data-testid=load-error]").TextContent);
    }

    [Fact]
    public void A_successful_load_shows_nothing()
    {
        var shown = Render<LoadError>(p => p.Add(c => c.Error, null));

        Assert.Empty(shown.FindAll("[data-testid=load-error]"));
    }
}
