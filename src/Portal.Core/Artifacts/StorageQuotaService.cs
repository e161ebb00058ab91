using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Artifacts;

/// <summary>A team's stored bytes against its quota: <paramref name="QuotaBytes"/> is the override if set, else the default (null: none).</summary>
public sealed record TeamStorageUsage(long UsedBytes, long? QuotaBytes, long? OverrideBytes, long? DefaultBytes);

/// <summary>
/// Per-team storage quotas. Usage counts every artifact's size, also when identical content is stored once
/// for several versions: a team's usage must not depend on what other teams happen to upload.
/// </summary>
public sealed class StorageQuotaService(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore store, StorageOptions options, TimeProvider clock)
{
    public async Task<Result<TeamStorageUsage>> GetUsageAsync(CallerAccess caller, string team, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ChangeTeamSettings, team) is { } denied)
            return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == team, ct);
        return row is null ? TeamErrors.NotFound(team) : await UsageOfAsync(db, row, ct);
    }

    /// <summary>Sets or (with null) removes the team's own quota; TeamAdmins of the team and PlatformAdmins may.</summary>
    public async Task<Result<TeamStorageUsage>> SetQuotaAsync(CallerAccess caller, string team, long? quotaBytes, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ChangeTeamSettings, team) is { } denied)
            return denied;
        if (quotaBytes is < 0)
            return Error.Validation("storage.quota-invalid", "The quota must be zero or more bytes.",
                new Dictionary<string, string[]> { ["quota"] = ["Enter zero or more, or leave it empty for the default."] });
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Teams.SingleOrDefaultAsync(t => t.Slug == team, ct);
        if (row is null)
            return TeamErrors.NotFound(team);
        if (row.StorageQuotaBytes != quotaBytes)
        {
            db.Record(caller.Actor, clock.GetUtcNow(), "team.storage-quota-changed", "team", row.Id.ToString(), row.Id,
                before: new { QuotaBytes = row.StorageQuotaBytes }, after: new { QuotaBytes = quotaBytes });
            row.StorageQuotaBytes = quotaBytes;
            await db.SaveChangesAsync(ct);
        }
        return await UsageOfAsync(db, row, ct);
    }

    /// <summary>
    /// How many bytes an upload into the team may bring, checked before anything is stored: against the
    /// announced length up front, and by the returned limit while the bytes stream in. Concurrent uploads
    /// are each checked against the usage when they start, so together they can overshoot by their sizes.
    /// </summary>
    internal async Task<Result<UploadAllowance>> AllowanceAsync(PortalDbContext db, Guid teamId, long? declaredLength, CancellationToken ct)
    {
        var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Id == teamId, ct);
        var usage = await UsageOfAsync(db, team, ct);
        var allowance = UploadAllowance.Unlimited;
        if (usage.QuotaBytes is { } quota)
        {
            allowance = new UploadAllowance(Math.Max(0, quota - usage.UsedBytes), RegistryErrors.QuotaExceeded(quota));
            if (declaredLength > allowance.Bytes)
                return allowance.Exceeded;
        }
        if (store.WritableBytes() is { } writable && writable < allowance.Bytes)
        {
            allowance = new UploadAllowance(writable, RegistryErrors.DiskFull);
            if (declaredLength > writable || writable == 0)
                return RegistryErrors.DiskFull;
        }
        return allowance;
    }

    private async Task<TeamStorageUsage> UsageOfAsync(PortalDbContext db, Team team, CancellationToken ct)
    {
        var used = await db.Artifacts.Where(a => db.Versions.Any(v => v.Id == a.VersionId && v.TeamId == team.Id)).SumAsync(a => (long?)a.Size, ct) ?? 0;
        return new TeamStorageUsage(used, team.StorageQuotaBytes ?? options.DefaultTeamQuotaBytes, team.StorageQuotaBytes, options.DefaultTeamQuotaBytes);
    }
}

/// <summary>The most bytes an upload may bring, and the error it gets when it brings more.</summary>
internal sealed record UploadAllowance(long Bytes, Error Exceeded)
{
    public static readonly UploadAllowance Unlimited = new(long.MaxValue, RegistryErrors.DiskFull);
}
