using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Policies;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Lifecycle;

public sealed record StagedVersion(string Version, Stage Stage, DateTimeOffset? Since);

public sealed record StageHistoryItem(Stage From, Stage To, DateTimeOffset At, string By, long? RequestId, string Reason);

/// <summary>A version's place in the lifecycle: its stage, the aliases on it, and how it got there.</summary>
public sealed record VersionStages(Stage Stage, IReadOnlyList<string> Aliases, IReadOnlyList<StageHistoryItem> History, bool CanRequest);

/// <summary>Where an asset's versions stand, what a rollback would restore, and whether the caller may roll back.</summary>
public sealed record AssetStages(StagedVersion? Production, IReadOnlyList<StagedVersion> Staging, string? RollbackTarget, bool CanRollBack);

/// <summary>Stages of an asset and the one-step rollback to the last known good Production version.</summary>
public sealed class AssetStagesService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ApprovalSignal signal)
{
    public async Task<Result<AssetStages>> GetAsync(CallerAccess caller, string team, string asset, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var a = found.Value.Asset;
        var staged = await db.Versions.AsNoTracking().Where(v => v.AssetId == a.Id && (v.Stage == Stage.Production || v.Stage == Stage.Staging))
            .Select(v => new StagedVersion(v.Version, v.Stage, v.StageChangedAt)).ToListAsync(ct);
        var rollback = a.RollbackVersionId is { } id ? await db.Versions.Where(v => v.Id == id).Select(v => v.Version).SingleOrDefaultAsync(ct) : null;
        return new AssetStages(staged.SingleOrDefault(v => v.Stage == Stage.Production), staged.Where(v => v.Stage == Stage.Staging).OrderBy(v => v.Version).ToList(),
            rollback, rollback is not null && caller.Allows(PortalAction.RollBack, team));
    }

    public async Task<Result<VersionStages>> ForVersionAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Version.Id;
        var history = await db.StageChanges.AsNoTracking().Where(s => s.VersionId == id).OrderByDescending(s => s.Id)
            .Select(s => new StageHistoryItem(s.From, s.To, s.ChangedAt, s.ChangedBy, s.RequestId, s.Reason)).ToListAsync(ct);
        var aliases = await db.Aliases.AsNoTracking().Where(a => a.VersionId == id).OrderBy(a => a.Name).Select(a => a.Name).ToListAsync(ct);
        return new VersionStages(found.Value.Version.Stage, aliases, history,
            found.Value.Version.Status == VersionStatus.Ready && caller.Allows(PortalAction.RequestTransitions, team));
    }

    /// <summary>
    /// Restores the last known good version to Production at once (Approvers and TeamAdmins), retires
    /// the current one, and leaves a review in the queue so another person looks at it afterwards.
    /// </summary>
    public async Task<Result<TransitionView>> RollBackAsync(CallerAccess caller, string team, string asset, string? reason, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.RollBack, ct, track: true);
        if (!found.IsSuccess)
            return found.Error!;
        if (!LifecycleErrors.RequiredTextFits(reason))
            return LifecycleErrors.ReasonRequired;
        var a = found.Value.Asset;
        var target = a.RollbackVersionId is { } id ? await db.Versions.SingleOrDefaultAsync(v => v.Id == id && v.Status == VersionStatus.Ready, ct) : null;
        if (target is null || target.Stage == Stage.Production)
            return LifecycleErrors.NoRollbackTarget;
        var now = clock.GetUtcNow();
        var current = await db.Versions.SingleOrDefaultAsync(v => v.AssetId == a.Id && v.Stage == Stage.Production, ct);
        var why = "Rollback: " + reason.Trim();
        if (current is not null)
            StageMover.Change(db, a, current, Stage.Archived, caller.Actor, now, null, why);
        StageMover.Change(db, a, target, Stage.Production, caller.Actor, now, null, why);
        // The version just retired was the bad one: it is no rollback target.
        a.RollbackVersionId = null;
        a.Revision++;
        var review = new TransitionRequest
        {
            TeamId = a.TeamId, AssetId = a.Id, VersionId = target.Id, Target = nameof(Stage.Production), Justification = why, IsRollbackReview = true,
            RequestedBy = caller.Actor.Name, RequestedByActorId = caller.Actor.Id, RequestedByPersonKey = caller.Actor.PersonKey, CreatedAt = now,
            RequiredApprovalsJson = LifecycleJson.Write(new[] { new ApprovalRequirement(1, TeamRole.Approver, null) }),
        };
        await using var tx = await db.BeginUnitAsync(ct);
        try
        {
            await RequestNumbers.AddAsync(db, review, ct);
            db.Record(caller.Actor, now, "rollback.performed", "version", target.Id.ToString(), a.TeamId,
                before: current is null ? null : new { Production = current.Version }, after: new { Production = target.Version, Reason = reason.Trim(), ReviewRequestId = review.Id });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            return LifecycleErrors.Raced;
        }
        signal.Changed();
        return await TransitionService.ViewAsync(db, review.Id, ct);
    }
}
