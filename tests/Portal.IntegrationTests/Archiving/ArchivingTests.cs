using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Archiving;
using Portal.Core.Artifacts;
using Portal.Core.Common;
using Portal.Core.Jobs;
using Portal.Core.Lifecycle;
using Portal.Core.Lineage;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Testing;
using static Portal.IntegrationTests.Archiving.ArchivingScenario;

namespace Portal.IntegrationTests.Archiving;

public abstract class ArchivingTests(PortalApp app)
{
    [Fact]
    public async Task Dry_run_lists_exactly_what_the_queued_run_archives_and_why()
    {
        var s = await StartAsync(app);
        var stale = await s.VersionAsync(Unique("stale"), "1.0.0", [("data.csv", Bytes())]);
        var aliased = Unique("aliased");
        var aliasedId = await s.VersionAsync(aliased, "1.0.0", [("data.csv", Bytes())]);
        Ok(await app.InScopeAsync<AliasService, Result<AliasView>>(a => a.MoveAsync(s.Contributor, Finance, aliased, "latest", "1.0.0")));
        var held = Unique("held");
        var heldId = await s.VersionAsync(held, "1.0.0", [("data.csv", Bytes())]);
        Ok(await app.InScopeAsync<ArchiveService, Result<bool>>(a => a.SetLegalHoldAsync(s.Admin, Finance, held, "1.0.0", true, "litigation 2026-17")));
        // raw -> features -> model in Staging: both data versions feed a staged model, one of them through the other.
        var raw = Unique("raw");
        var rawId = await s.VersionAsync(raw, "1.0.0", [("raw.csv", Bytes())]);
        var features = Unique("feat");
        var featuresId = await s.VersionAsync(features, "1.0.0", [("f.csv", Bytes())], [new(LineageKind.DerivedFrom, Finance, raw, "1.0.0")]);
        var model = Unique("model");
        await s.VersionAsync(model, "1.0.0", [("m.onnx", Bytes())], [new(LineageKind.TrainedOn, Finance, features, "1.0.0")], Portal.Core.Assets.AssetKind.Model);
        Ok(await app.InScopeAsync<TransitionService, Result<TransitionView>>(t => t.RequestAsync(s.Contributor, Finance, model, "1.0.0", "Staging", "test")));

        var golden = await s.VersionAsync(Unique("golden"), "1.0.0", [("golden.csv", Bytes())]);
        await using (var setup = await s.Db())
        {
            var version = await setup.Versions.SingleAsync(v => v.Id == golden);
            // A golden check's definition, as GoldenCheckService saves it: the data it reads is never archived.
            setup.GoldenChecks.Add(new Portal.Core.GoldenChecks.GoldenCheck
            {
                TeamId = version.TeamId, AssetId = version.AssetId, Name = "holdout", DatasetVersionId = golden, DatasetPath = "golden.csv", CreatedBy = "test",
            });
            await setup.SaveChangesAsync();
        }

        var preview = await s.PreviewAsync();
        var run = Ok(await app.InScopeAsync<ArchiveService, Result<JobRunView>>(a => a.StartRunAsync(s.Admin, Finance, null)));
        var finished = await UntilFinishedAsync(s, run.Id);
        await using var db = await s.Db();
        var archived = await db.Versions.Where(v => v.ArchiveRunId == run.Id).Select(v => v.Id).ToListAsync();

        var proposed = preview.Candidates.Select(c => c.VersionId).ToList();
        Assert.Contains(stale, proposed);
        Assert.DoesNotContain(aliasedId, proposed);
        Assert.DoesNotContain(heldId, proposed);
        Assert.DoesNotContain(featuresId, proposed);
        Assert.DoesNotContain(rawId, proposed);
        Assert.DoesNotContain(golden, proposed);
        var reasons = preview.Candidates.Single(c => c.VersionId == stale).Reasons;
        Assert.Contains(reasons, r => r.StartsWith("age 0 days", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("never downloaded", StringComparison.Ordinal));
        Assert.Equal(JobRunState.Succeeded, finished.State);
        Assert.Equal(proposed.Order(), archived.Order());
        Assert.Equal(Stage.Archived, await db.Versions.Where(v => v.Id == stale).Select(v => v.Stage).SingleAsync());
        Assert.Equal(1, await db.StageChanges.CountAsync(c => c.VersionId == stale && c.To == Stage.Archived));
    }

    [Fact]
    public async Task Blob_shared_with_a_live_version_stays_hot_and_a_restore_is_byte_identical()
    {
        var s = await StartAsync(app);
        var own = Bytes(70_000);
        var shared = Bytes();
        var asset = Unique("old");
        var old = await s.VersionAsync(asset, "1.0.0", [("own.bin", own), ("shared.bin", shared)]);
        var live = Unique("live");
        await s.VersionAsync(live, "1.0.0", [("copy.bin", shared)]);
        Ok(await app.InScopeAsync<ArchiveService, Result<bool>>(a => a.SetLegalHoldAsync(s.Admin, Finance, live, "1.0.0", true, "keep it live")));

        var runId = await s.PlanRunAsync();
        await s.RunAsync(runId);
        var client = await app.ApiClientAsync(Finance, TeamRole.TeamAdmin);
        var url = $"/api/v1/teams/{Finance}/assets/{asset}/versions/1.0.0";
        using var whileCold = await client.GetAsync(url + "/artifacts/own.bin");
        var sharedLocation = await s.LocationAsync(Sha(shared));
        var ownLocation = await s.LocationAsync(Sha(own));
        var hotHadOwn = await s.Hot.ExistsAsync(Sha(own), CancellationToken.None);
        var coldHadShared = await s.Cold.ExistsAsync(Sha(shared), CancellationToken.None);
        using var restore = await client.PostAsync(url + "/restore", null);
        var back = await client.GetByteArrayAsync(url + "/artifacts/own.bin");

        Assert.Equal(BlobLocation.Hot, sharedLocation);
        Assert.False(coldHadShared);
        Assert.Equal(BlobLocation.Cold, ownLocation);
        Assert.False(hotHadOwn);
        Assert.Equal(HttpStatusCode.Conflict, whileCold.StatusCode);
        Assert.Equal("artifact.archived", await Registry.RegistryApi.CodeAsync(whileCold));
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        Assert.Equal(own, back);
        Assert.Equal(BlobLocation.Hot, await s.LocationAsync(Sha(own)));
        Assert.False(await s.Cold.ExistsAsync(Sha(own), CancellationToken.None));
        var row = await s.VersionRowAsync(old);
        Assert.Equal(Stage.None, row.Stage);
        Assert.Null(row.ArchivedAt);
        Assert.Equal(1, await s.AuditCountAsync("version.restored", old.ToString()));
    }

    [Fact]
    public async Task An_archived_version_takes_no_stage_or_alias_until_it_is_restored()
    {
        var s = await StartAsync(app);
        var asset = Unique("cold");
        await s.VersionAsync(asset, "1.0.0", [("data.csv", Bytes())]);
        await s.RunAsync(await s.PlanRunAsync());

        var staging = await app.InScopeAsync<TransitionService, Result<TransitionView>>(t => t.RequestAsync(s.Admin, Finance, asset, "1.0.0", "Staging", "back in use"));
        var alias = await app.InScopeAsync<AliasService, Result<AliasView>>(a => a.MoveAsync(s.Admin, Finance, asset, "current", "1.0.0"));
        Ok(await app.InScopeAsync<ArchiveRestoreService, Result<RestoredVersion>>(r => r.RestoreAsync(s.Admin, Finance, asset, "1.0.0")));
        var afterRestore = await app.InScopeAsync<TransitionService, Result<TransitionView>>(t => t.RequestAsync(s.Admin, Finance, asset, "1.0.0", "Staging", "back in use"));

        Assert.Equal("transition.version-archived", staging.Error?.Code);
        Assert.Equal("transition.version-archived", alias.Error?.Code);
        Assert.NotEqual("transition.version-archived", afterRestore.Error?.Code);
    }

    [Fact]
    public async Task Purge_refuses_what_is_still_referenced_and_waits_for_retention_and_the_typed_name()
    {
        var s = await StartAsync(app, retentionDays: 0);
        var upstream = Unique("up");
        var upstreamId = await s.VersionAsync(upstream, "1.0.0", [("u.csv", Bytes())]);
        var downstream = Unique("down");
        await s.VersionAsync(downstream, "1.0.0", [("d.csv", Bytes())], [new(LineageKind.DerivedFrom, Finance, upstream, "1.0.0")]);
        Ok(await app.InScopeAsync<ArchiveService, Result<bool>>(a => a.SetLegalHoldAsync(s.Admin, Finance, downstream, "1.0.0", true, "keep")));
        var sharedBytes = Bytes();
        var sharing = Unique("sharing");
        await s.VersionAsync(sharing, "1.0.0", [("s.bin", sharedBytes)]);
        var holder = Unique("holder");
        await s.VersionAsync(holder, "1.0.0", [("s.bin", sharedBytes)]);
        Ok(await app.InScopeAsync<ArchiveService, Result<bool>>(a => a.SetLegalHoldAsync(s.Admin, Finance, holder, "1.0.0", true, "keep")));
        var lonelyBytes = Bytes();
        var lonely = Unique("lonely");
        var lonelyId = await s.VersionAsync(lonely, "1.0.0", [("l.bin", lonelyBytes)]);
        await s.RunAsync(await s.PlanRunAsync());

        async Task<string?> Purge(string asset, string? confirm) =>
            (await app.InScopeAsync<ArchiveRestoreService, Result<PurgedVersion>>(p => p.PurgeAsync(s.Admin, Finance, asset, "1.0.0", confirm))).Error?.Code;
        var lineage = await Purge(upstream, $"{upstream}/1.0.0");
        var content = await Purge(sharing, $"{sharing}/1.0.0");
        await s.RuleAsync(retentionDays: 30);
        var retention = await Purge(lonely, $"{lonely}/1.0.0");
        await s.RuleAsync(retentionDays: 0);
        var mistyped = await Purge(lonely, $"{lonely}/1.0.1");
        var purged = await Purge(lonely, $"{lonely}/1.0.0");

        Assert.Equal(Stage.Archived, (await s.VersionRowAsync(upstreamId)).Stage);
        Assert.Equal("archive.still-referenced", lineage);
        Assert.Equal("archive.still-referenced", content);
        Assert.Equal("archive.retention", retention);
        Assert.Equal("archive.confirmation-mismatch", mistyped);
        Assert.Null(purged);
        Assert.NotNull((await s.VersionRowAsync(lonelyId)).PurgedAt);
        Assert.Equal(1, await s.AuditCountAsync("version.purged", lonelyId.ToString()));
        await using var db = await s.Db();
        Assert.False(await db.Blobs.AnyAsync(b => b.Sha256 == Sha(lonelyBytes)));
        Assert.False(await s.Cold.ExistsAsync(Sha(lonelyBytes), CancellationToken.None));
        Assert.True(await s.Hot.ExistsAsync(Sha(sharedBytes), CancellationToken.None));
    }

    [Fact]
    public async Task Nightly_tick_plans_one_run_per_day_for_a_team_whose_rule_is_enabled()
    {
        var s = await StartAsync(app);
        await s.RuleAsync(retentionDays: 0, nightly: true);
        var stale = await s.VersionAsync(Unique("nightly"), "1.0.0", [("n.csv", Bytes())]);

        var first = await app.InScopeAsync<ScheduleArchiveRunsJob, int>(j => j.RunAsync(CancellationToken.None));
        var second = await app.InScopeAsync<ScheduleArchiveRunsJob, int>(j => j.RunAsync(CancellationToken.None));
        await s.RuleAsync(retentionDays: 0);
        List<Guid> runs;
        await using (var db = await s.Db())
        {
            var teamId = await db.Teams.Where(t => t.Slug == Finance).Select(t => t.Id).SingleAsync();
            var key = $"schedule:{teamId}:{DateTimeOffset.UtcNow:yyyy-MM-dd}";
            runs = await db.JobRuns.Where(r => r.Kind == JobKinds.Archive && r.IdempotencyKey == key).Select(r => r.Id).ToListAsync();
        }
        var finished = await UntilFinishedAsync(s, Assert.Single(runs));

        Assert.Equal(1, first);
        Assert.Equal(1, second);
        Assert.Equal(JobRunState.Succeeded, finished.State);
        Assert.Equal(Stage.Archived, (await s.VersionRowAsync(stale)).Stage);
    }

    private static async Task<JobRunView> UntilFinishedAsync(ArchivingScenario s, Guid runId)
    {
        JobRunView? run = null;
        for (var i = 0; i < 600; i++)
        {
            await using var db = await s.Db();
            run = await db.JobRuns.AsNoTracking().Where(r => r.Id == runId).Select(JobRunView.From).SingleAsync();
            if (run.State is JobRunState.Succeeded or JobRunState.Failed)
                return run;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The archive run did not finish in 60 s: {run}");
    }
}

public sealed class ArchivingTests_Sqlite(SqlitePortal app) : ArchivingTests(app), IClassFixture<SqlitePortal>;

public sealed class ArchivingTests_PostgreSql(PostgresPortal app) : ArchivingTests(app), IClassFixture<PostgresPortal>;
