using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Artifacts;
using Portal.Core.Audit;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Jobs;
using Portal.Core.Lifecycle;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Archiving;

/// <summary>The dry run: the rule in force and exactly what a run started now would archive, with why.</summary>
public sealed record ArchivePreview(ArchiveRuleView Rule, DateTimeOffset At, IReadOnlyList<ArchiveCandidate> Candidates, bool CanRun);

/// <summary>A version an archive run archived, with what a TeamAdmin can do with it.</summary>
public sealed record ArchivedVersion(Guid VersionId, string Asset, string Version, DateTimeOffset ArchivedAt, DateTimeOffset PurgeableFrom, bool LegalHold,
    int Files, long Bytes, int ColdFiles);

/// <summary>A version's archiving state, for its page: legal hold, whether an archive run archived it, and what the caller may do.</summary>
public sealed record VersionArchiveState(bool LegalHold, DateTimeOffset? ArchivedAt, int ColdFiles, bool CanManage);

/// <summary>A team's archiving: the dry run, starting a run, the archived versions, and legal holds.</summary>
public sealed class ArchiveService(IDbContextFactory<PortalDbContext> dbFactory, IArchiveRunQueue queue, TimeProvider clock)
{
    public static readonly TimeSpan RunDeadline = TimeSpan.FromHours(6);

    public async Task<Result<ArchivePreview>> PreviewAsync(CallerAccess caller, string team, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeam, AccessTarget.Team(team)) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teamId = await db.TeamIdAsync(team, ct);
        if (teamId is null)
            return TeamErrors.NotFound(team);
        var (rule, source) = await ArchiveRuleService.EffectiveAsync(db, teamId.Value, ct);
        var now = clock.GetUtcNow();
        var canRun = caller.Allows(PortalAction.ManageArchiving, team);
        return new ArchivePreview(ArchiveRuleView.From(rule, source, canRun), now, await ArchiveCandidates.FindAsync(db, teamId.Value, rule, now, ct), canRun);
    }

    /// <summary>Records the intent (a job run), then queues it; the same Idempotency-Key finds the same run.</summary>
    public async Task<Result<JobRunView>> StartRunAsync(CallerAccess caller, string team, string? idempotencyKey, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ManageArchiving, AccessTarget.Team(team)) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.Teams.Where(t => t.Slug == team).Select(t => new { t.Id, t.Name }).SingleOrDefaultAsync(ct);
        if (found is null)
            return TeamErrors.NotFound(team);
        var key = idempotencyKey is null ? null : $"{found.Id}:{idempotencyKey}";
        var run = await PlanAsync(db, found.Id, found.Name, "on-demand", caller.Actor, key, ct);
        queue.Enqueue(run.Id);
        return await db.JobRuns.AsNoTracking().Where(r => r.Id == run.Id).Select(JobRunView.From).SingleAsync(ct);
    }

    /// <summary>Adds a run and its audit event, or finds the run an earlier start with the same key added.</summary>
    internal async Task<JobRun> PlanAsync(PortalDbContext db, Guid teamId, string teamName, string trigger, Actor actor, string? key, CancellationToken ct)
    {
        if (key is not null && await db.JobRuns.SingleOrDefaultAsync(r => r.Kind == JobKinds.Archive && r.IdempotencyKey == key, ct) is { } existing)
            return existing;
        var now = clock.GetUtcNow();
        var rule = await db.ArchiveRules.Where(r => r.TeamId == teamId || r.TeamId == null).OrderBy(r => r.TeamId == null).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
        var run = new JobRun
        {
            Kind = JobKinds.Archive, TeamId = teamId, SubjectType = "team", SubjectId = teamId.ToString(), SubjectLabel = $"Archiving · {teamName}",
            DefinitionId = rule, Trigger = trigger, RequestedBy = actor.Name, IdempotencyKey = key, QueuedAt = now, DeadlineAt = now + RunDeadline,
        };
        db.JobRuns.Add(run);
        db.Record(actor, now, "archive.requested", "team", teamId.ToString(), teamId, after: new { Run = run.Id, Trigger = trigger });
        try
        {
            await db.SaveChangesAsync(ct);
            return run;
        }
        catch (DbUpdateException) when (key is not null)
        {
            // Another start with the same key won the race: that one is the run.
            db.ChangeTracker.Clear();
            return await db.JobRuns.SingleAsync(r => r.Kind == JobKinds.Archive && r.IdempotencyKey == key, ct);
        }
    }

    public async Task<Result<IReadOnlyList<ArchivedVersion>>> ListArchivedAsync(CallerAccess caller, string team, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeam, AccessTarget.Team(team)) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teamId = await db.TeamIdAsync(team, ct);
        if (teamId is null)
            return TeamErrors.NotFound(team);
        var (rule, _) = await ArchiveRuleService.EffectiveAsync(db, teamId.Value, ct);
        var rows = await db.Versions.AsNoTracking().Where(v => v.TeamId == teamId && v.ArchivedAt != null && v.PurgedAt == null)
            .OrderByDescending(v => v.ArchivedAt).Take(500)
            .Select(v => new
            {
                v.Id, Asset = db.Assets.Where(a => a.Id == v.AssetId).Select(a => a.Name).Single(), v.Version, ArchivedAt = v.ArchivedAt!.Value, v.LegalHold,
                Files = db.Artifacts.Count(a => a.VersionId == v.Id),
                Bytes = db.Artifacts.Where(a => a.VersionId == v.Id).Sum(a => (long?)a.Size) ?? 0,
                Cold = db.Artifacts.Count(a => a.VersionId == v.Id && db.Blobs.Any(b => b.Sha256 == a.Sha256 && b.Location == BlobLocation.Cold)),
            }).ToListAsync(ct);
        return rows.Select(r => new ArchivedVersion(r.Id, r.Asset, r.Version, r.ArchivedAt, r.ArchivedAt.AddDays(rule.RetentionDays), r.LegalHold, r.Files, r.Bytes, r.Cold))
            .ToList();
    }

    public async Task<Result<VersionArchiveState>> StateAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        var cold = await db.Artifacts.CountAsync(a => a.VersionId == v.Id && db.Blobs.Any(b => b.Sha256 == a.Sha256 && b.Location == BlobLocation.Cold), ct);
        return new VersionArchiveState(v.LegalHold, v.ArchivedAt, cold, caller.Allows(PortalAction.ManageArchiving, team));
    }

    /// <summary>Sets or clears a legal hold: a held version is never archived or purged. Audited with the reason.</summary>
    public async Task<Result<bool>> SetLegalHoldAsync(CallerAccess caller, string team, string asset, string version, bool hold, string? reason,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ManageArchiving, ct);
        if (!found.IsSuccess)
            return found.Error!;
        if (!LifecycleErrors.RequiredTextFits(reason))
            return ArchivingErrors.ReasonRequired;
        var v = found.Value.Version;
        if (v.LegalHold != hold)
        {
            var now = clock.GetUtcNow();
            v.LegalHold = hold;
            v.Revision++;
            db.Record(caller.Actor, now, hold ? "version.legal-hold-set" : "version.legal-hold-cleared", "version", v.Id.ToString(), found.Value.TeamId,
                before: new { LegalHold = !hold }, after: new { LegalHold = hold, v.Version, Reason = reason.Trim() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return RegistryErrors.Stale;
            }
        }
        return hold;
    }
}
