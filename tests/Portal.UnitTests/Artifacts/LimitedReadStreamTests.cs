using Portal.Core.Artifacts;
using Portal.Core.Common;

namespace Portal.UnitTests.Artifacts;

public sealed class LimitedReadStreamTests
{
    [Fact]
    public async Task Upload_fails_with_the_limit_error_once_it_crosses_the_limit()
    {
        var exceeded = Error.TooLarge("storage.quota-exceeded", "over");
        var limited = new LimitedReadStream(new MemoryStream(new byte[10_000]), 5000, exceeded);

        var failure = await Assert.ThrowsAsync<StorageLimitException>(() => limited.CopyToAsync(Stream.Null));

        Assert.Same(exceeded, failure.Error);
    }

    [Fact]
    public async Task Upload_exactly_at_the_limit_passes()
    {
        var limited = new LimitedReadStream(new MemoryStream(new byte[5000]), 5000, Error.TooLarge("storage.quota-exceeded", "over"));

        var target = new MemoryStream();

        await limited.CopyToAsync(target);

        Assert.Equal(5000, target.Length);
    }
}
