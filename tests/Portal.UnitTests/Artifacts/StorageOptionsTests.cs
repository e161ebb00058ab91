using Portal.Core.Artifacts;

namespace Portal.UnitTests.Artifacts;

public sealed class StorageOptionsTests
{
    [Fact]
    public void Defaults_have_no_problems() => Assert.Empty(new StorageOptions().Problems());

    [Fact]
    public void Each_wrong_setting_is_named_by_its_key()
    {
        var options = new StorageOptions { DefaultTeamQuotaBytes = -1, AbandonedUploadGraceHours = 0, UnreferencedBlobGraceHours = 0, RangeVerifiedWithinDays = -1 };

        var problems = options.Problems().ToList();

        Assert.Collection(problems,
            p => Assert.StartsWith("Artifacts:DefaultTeamQuotaBytes", p),
            p => Assert.StartsWith("Artifacts:AbandonedUploadGraceHours", p),
            p => Assert.StartsWith("Artifacts:UnreferencedBlobGraceHours", p),
            p => Assert.StartsWith("Artifacts:RangeVerifiedWithinDays", p));
    }
}
