using Portal.Core.Lifecycle;

namespace Portal.UnitTests.Lifecycle;

public sealed class StageReasonTests
{
    [Fact]
    public void A_reason_that_fits_is_kept_whole()
    {
        var reason = "Approved: " + new string('a', StageChange.MaxReasonLength - 10);

        Assert.Equal(reason, StageChange.Fit(reason));
    }

    [Fact]
    public void A_longer_reason_is_cut_to_the_column_with_an_ellipsis()
    {
        var fitted = StageChange.Fit("Approved: " + new string('a', StageChange.MaxReasonLength));

        Assert.Equal(StageChange.MaxReasonLength, fitted.Length);
        Assert.EndsWith("a…", fitted);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        // The emoji's two halves would straddle the cut: the text must stay valid UTF-16 for PostgreSQL's encoder.
        var reason = "Approved: " + new string('a', StageChange.MaxReasonLength - 12) + "😀" + new string('b', 20);

        var fitted = StageChange.Fit(reason);

        Assert.True(fitted.Length <= StageChange.MaxReasonLength);
        Assert.DoesNotContain(fitted, char.IsSurrogate);
        Assert.EndsWith("a…", fitted);
    }
}
