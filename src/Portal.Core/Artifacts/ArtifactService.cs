using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Artifacts;

/// <summary>A file to send: <paramref name="Content"/> verifies itself while read; ranges only when <paramref name="RangesAllowed"/> (ADR-007).</summary>
public sealed record ArtifactDownload(Stream Content, string FileName, string Sha256, long Size, DateTimeOffset CreatedAt, bool RangesAllowed);

public sealed class ArtifactService(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore store, BlobIntegrityService integrity,
    StorageQuotaService quotas, StorageOptions options, TimeProvider clock)
{
    private const int MaxAttempts = 3;

    /// <summary>
    /// Streams a file into a pending version. The content is hashed on the way in; a digest mismatch
    /// stores nothing, and identical content is kept once whatever the number of versions using it.
    /// The team's quota and the store's free-space floor are checked against <paramref name="declaredLength"/>
    /// before anything is stored, and again while the bytes arrive.
    /// </summary>
    public async Task<Result<ArtifactView>> UploadAsync(CallerAccess caller, string team, string asset, string version, string path,
        Stream content, string? expectedSha256, long? declaredLength, CancellationToken ct = default)
    {
        var normalized = ArtifactPath.Normalize(path);
        if (!normalized.IsSuccess)
            return normalized.Error!;
        if (expectedSha256 is not null && !System.Text.RegularExpressions.Regex.IsMatch(expectedSha256, "^[0-9a-f]{64}$"))
            return Error.Validation("artifact.digest-invalid", "The expected SHA-256 must be 64 lower-case hexadecimal characters.");
        UploadAllowance allowance;
        await using (var check = await dbFactory.CreateDbContextAsync(ct))
        {
            // PUT is idempotent: a retry of an upload that was stored (its answer lost on the way) gets the same file.
            if (expectedSha256 is not null && await StoredAsync(check, caller, team, asset, version, normalized.Value, expectedSha256, ct) is { } same)
                return same;
            var precheck = await ReadyForUploadAsync(check, caller, team, asset, version, normalized.Value, ct);
            if (!precheck.IsSuccess)
                return precheck.Error!;
            var allowed = await quotas.AllowanceAsync(check, precheck.Value.TeamId, declaredLength, ct);
            if (!allowed.IsSuccess)
                return allowed.Error!;
            allowance = allowed.Value;
        }

        StoredContent? stored;
        try
        {
            var limited = allowance.Bytes == long.MaxValue ? content : new LimitedReadStream(content, allowance.Bytes, allowance.Exceeded);
            stored = await store.WriteAsync(limited, expectedSha256, integrity.CanKeepStoredCopyAsync, ct);
        }
        catch (StorageLimitException ex)
        {
            return ex.Error;
        }
        if (stored is null)
            return RegistryErrors.DigestMismatch;
        if (await integrity.RecordStoredAsync(stored, caller.Actor, ct) is { } lost)
            return lost;
        return await RecordArtifactAsync(caller, team, asset, version, normalized.Value, stored, ct);
    }

    private async Task<Result<ArtifactView>> RecordArtifactAsync(CallerAccess caller, string team, string asset, string version, string path,
        StoredContent stored, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var found = await ReadyForUploadAsync(db, caller, team, asset, version, path, ct);
            if (!found.IsSuccess)
                return found.Error!;
            var v = found.Value.Version;
            var now = clock.GetUtcNow();
            var artifact = new Artifact
            {
                VersionId = v.Id, Path = path, Size = stored.Size, Sha256 = stored.Sha256,
                IsUnsafeFormat = ArtifactPath.IsUnsafeFormat(path), CreatedAt = now, CreatedBy = caller.Actor.Name,
            };
            db.Artifacts.Add(artifact);
            (await db.Blobs.SingleAsync(b => b.Sha256 == stored.Sha256, ct)).UnreferencedSince = null;
            // Touching the version's revision makes a finalize that raced this upload fail one of the two.
            v.Revision++;
            db.Record(caller.Actor, now, "artifact.uploaded", "version", v.Id.ToString(), found.Value.TeamId,
                after: new { artifact.Path, artifact.Size, artifact.Sha256, artifact.IsUnsafeFormat });
            try
            {
                await db.SaveChangesAsync(ct);
                return new ArtifactView(artifact.Id, artifact.Path, artifact.Size, artifact.Sha256, artifact.IsUnsafeFormat, false, now, artifact.CreatedBy);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Another upload into the same version won the revision; a finalize would be caught by the re-check.
            }
            catch (DbUpdateConcurrencyException)
            {
                return RegistryErrors.Immutable("artifacts");
            }
            catch (UniqueViolationException)
            {
                return RegistryErrors.ArtifactExists;
            }
        }
    }

    /// <summary>
    /// Opens a file for download; the download is a sensitive read and is audited. The content checks its
    /// digest as it is sent: a mismatch aborts the transfer and marks the blob corrupt for PlatformAdmins.
    /// </summary>
    public async Task<Result<ArtifactDownload>> OpenAsync(CallerAccess caller, string team, string asset, string version, string path, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var versionId = found.Value.Version.Id;
        var artifact = await db.Artifacts.AsNoTracking().SingleOrDefaultAsync(a => a.VersionId == versionId && a.Path == path, ct);
        if (artifact is null)
            return RegistryErrors.ArtifactNotFound(path);
        var blob = await db.Blobs.AsNoTracking().SingleAsync(b => b.Sha256 == artifact.Sha256, ct);
        if (blob.Status == BlobStatus.Corrupt)
            return RegistryErrors.BlobCorrupt;
        if (blob.Location == BlobLocation.Cold)
            return Archiving.ArchivingErrors.Archived(artifact.Path);
        var stream = await store.OpenReadAsync(artifact.Sha256, ct);
        if (stream is null)
        {
            await integrity.MarkCorruptAsync(db, artifact.Sha256, caller.Actor, "download: content missing", CancellationToken.None);
            return RegistryErrors.BlobCorrupt;
        }
        var now = clock.GetUtcNow();
        try
        {
            // The archiving rule reads this one column instead of searching the audit trail for downloads: written with the event, or not at all.
            // The event first: where the chain's lock is taken in the save (SQLite, SQL Server) every audited writer takes it before its rows,
            // and one that took a row first could deadlock with them. PostgreSQL takes it at commit, after every row (ADR-010).
            await using var unit = await db.BeginUnitAsync(ct);
            db.Record(caller.Actor, now, "artifact.downloaded", "version", versionId.ToString(), found.Value.TeamId,
                after: new { artifact.Path, artifact.Sha256 });
            await db.SaveChangesAsync(ct);
            await db.Versions.Where(v => v.Id == versionId).ExecuteUpdateAsync(s => s.SetProperty(v => v.LastDownloadedAt, now), ct);
            await unit.CommitAsync(ct);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
        var sha = artifact.Sha256;
        // The verdict is recorded even when the client has gone: the bytes were read either way.
        var verifying = new VerifyingReadStream(stream, sha, artifact.Size, ok => ok
            ? integrity.MarkVerifiedAsync(sha, CancellationToken.None)
            : integrity.MarkCorruptAsync(sha, caller.Actor, "download", CancellationToken.None));
        var rangesAllowed = blob.LastVerifiedAt is { } verified && verified >= now.AddDays(-options.RangeVerifiedWithinDays);
        return new ArtifactDownload(verifying, artifact.Path.Split('/')[^1], sha, artifact.Size, artifact.CreatedAt, rangesAllowed);
    }

    private static async Task<ArtifactView?> StoredAsync(PortalDbContext db, CallerAccess caller, string team, string asset, string version, string path,
        string sha256, CancellationToken ct)
    {
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return null;
        var versionId = found.Value.Version.Id;
        return await db.Artifacts.AsNoTracking().Where(a => a.VersionId == versionId && a.Path == path && a.Sha256 == sha256)
            .Select(a => new ArtifactView(a.Id, a.Path, a.Size, a.Sha256, a.IsUnsafeFormat, false, a.CreatedAt, a.CreatedBy))
            .SingleOrDefaultAsync(ct);
    }

    private static async Task<Result<(Guid TeamId, Asset Asset, AssetVersion Version)>> ReadyForUploadAsync(PortalDbContext db, CallerAccess caller,
        string team, string asset, string version, string path, CancellationToken ct)
    {
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        if (v.Status != VersionStatus.Pending)
            return RegistryErrors.Immutable("artifacts");
        return await db.Artifacts.AnyAsync(a => a.VersionId == v.Id && a.Path == path, ct) ? RegistryErrors.ArtifactExists : found;
    }
}
