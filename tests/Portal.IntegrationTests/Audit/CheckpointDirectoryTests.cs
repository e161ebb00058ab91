using Portal.Testing;

namespace Portal.IntegrationTests.Audit;

public sealed class CheckpointDirectoryTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    /// <summary>The README's offline verifier reads the directory from the portal's first minute, before a checkpoint is signed.</summary>
    [Fact]
    public void A_started_portal_has_its_checkpoint_directory_before_its_first_checkpoint()
    {
        Assert.True(Directory.Exists(app.CheckpointDirectory), app.CheckpointDirectory);
        Assert.Empty(Directory.EnumerateFiles(app.CheckpointDirectory, "checkpoint-*.json"));
    }
}
