using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;
using Portal.Core.Exports;
using Portal.Testing;

namespace Portal.IntegrationTests.Exports;

/// <summary>Exports that a restart interrupted, and an export made by two workers at once (a replay beside a re-delivered job).</summary>
public abstract class ExportReplayTests(PortalApp app)
{
    [Fact]
    public async Task An_export_made_by_two_workers_at_once_is_issued_once_with_the_stored_files_digest()
    {
        var id = await UnfinishedAsync(ExportState.Queued, DateTimeOffset.UtcNow);

        // Each worker in a scope and unit of work of its own, as two Hangfire workers are.
        Task Worker()
        {
            using (ExecutionContext.SuppressFlow())
                return Task.Run(() => app.InScopeAsync<RenderExportJob, bool>(async j => { await j.RunAsync(id, CancellationToken.None); return true; }));
        }
        await Task.WhenAll(Worker(), Worker());

        await using var db = await Db();
        var issued = await db.AuditEvents.Where(e => e.Action == "export.issued" && e.SubjectId == id.ToString()).Select(e => e.After).ToListAsync();
        var export = await db.AuditExports.SingleAsync(x => x.Id == id);
        Assert.Single(issued);
        Assert.Equal(ExportState.Completed, export.State);
        Assert.Contains(export.Sha256!, issued[0]);
        Assert.Equal(export.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(export.Content!)));
    }

    [Fact]
    public async Task Exports_a_restart_interrupted_are_queued_again_and_those_asked_for_too_long_ago_fail_with_the_reason()
    {
        var recent = await UnfinishedAsync(ExportState.Running, DateTimeOffset.UtcNow.AddMinutes(-5));
        var old = await UnfinishedAsync(ExportState.Running, DateTimeOffset.UtcNow - RenderExportJob.ResumeWithin - TimeSpan.FromHours(1));

        var resumable = await app.InScopeAsync<RenderExportJob, IReadOnlyList<Guid>>(j => j.ResumableAsync(CancellationToken.None));
        await app.InScopeAsync<RenderExportJob, bool>(async j => { await j.RunAsync(recent, CancellationToken.None); return true; });

        Assert.Contains(recent, resumable);
        Assert.DoesNotContain(old, resumable);
        await using var db = await Db();
        var failed = await db.AuditExports.SingleAsync(x => x.Id == old);
        Assert.Equal(ExportState.Failed, failed.State);
        Assert.Contains("interrupted by a restart", failed.Failure);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "export.failed" && e.SubjectId == old.ToString()));
        Assert.Equal(ExportState.Completed, await db.AuditExports.Where(x => x.Id == recent).Select(x => x.State).SingleAsync());
    }

    /// <summary>A JSON period report of Marketing as the service records it, left unfinished in the given state and not queued.</summary>
    private async Task<Guid> UnfinishedAsync(ExportState state, DateTimeOffset requestedAt)
    {
        await using var db = await Db();
        var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Slug == "marketing");
        var export = new AuditExport
        {
            Kind = ExportKind.PeriodReport, Format = ExportFormat.Json, TeamId = team.Id, TeamSlug = team.Slug, From = requestedAt.AddDays(-30), To = requestedAt,
            RequestedByKey = "replay-test", RequestedBy = "Replay test", RequestedAt = requestedAt, State = state,
        };
        db.AuditExports.Add(export);
        await db.SaveChangesAsync();
        return export.Id;
    }

    private Task<PortalDbContext> Db() => app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
}

public sealed class ExportReplayTests_Sqlite(SqlitePortal app) : ExportReplayTests(app), IClassFixture<SqlitePortal>;

public sealed class ExportReplayTests_PostgreSql(PostgresPortal app) : ExportReplayTests(app), IClassFixture<PostgresPortal>;
