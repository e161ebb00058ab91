using Bunit;
using Portal.Web.Components.Shared;

namespace Portal.ComponentTests.Shared;

public sealed class WhenTests : PortalComponentTest
{
    [Theory]
    [InlineData(-30, "moments ago")]
    [InlineData(-600, "10 min ago")]
    [InlineData(-7200, "2 h ago")]
    [InlineData(7200, "in 1 h")]
    public void Recent_times_read_relative(int offsetSeconds, string expected)
    {
        var when = Render<When>(p => p.Add(c => c.At, DateTimeOffset.UtcNow.AddSeconds(offsetSeconds)));

        Assert.Equal(expected, when.Find(".when").TextContent.Trim());
    }

    [Fact]
    public void Old_times_show_the_date()
    {
        var when = Render<When>(p => p.Add(c => c.At, new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero)));

        Assert.Equal("2024-03-01", when.Find(".when").TextContent.Trim());
    }
}
