using Portal.Core.Common;

namespace Portal.UnitTests.Common;

public sealed class ResultTests
{
    [Fact]
    public void Failed_result_refuses_to_hand_out_a_value()
    {
        Result<int> result = Error.NotFound("x.not-found", "missing");

        Assert.False(result.IsSuccess);
        var ex = Assert.Throws<InvalidOperationException>(() => result.Value);
        Assert.Contains("x.not-found", ex.Message);
    }

    [Fact]
    public void Successful_result_carries_its_value()
    {
        Result<string> result = "ok";

        Assert.True(result.IsSuccess);
        Assert.Equal("ok", result.Value);
        Assert.Null(result.Error);
    }
}
