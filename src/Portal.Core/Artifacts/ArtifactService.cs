using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.Artifacts;

public sealed record ArtifactDownload(Stream Content, string FileName, string Sha256, long Size, DateTimeOffset CreatedAt);

public sealed class ArtifactService(IDbContextFactory<PortalDbContext> dbFactory, IArtifactStore store, TimeProvider clock)
{
    /// <summary>
    /// Streams a file into a pending version. The content is hashed on the way in; a digest mismatch
    /// stores nothing, and identical content is kept once whatever the number of versions using it.
    /// </summary>
    public async Task<Result<ArtifactView>> UploadAsync(CallerAccess caller, string team, string asset, string version, string path,
        Stream content, string? expectedSha256, CancellationToken ct = default)
    {
        var normalized = ArtifactPath.Normalize(path);
        if (!normalized.IsSuccess)
            return normalized.Error!;
        if (expectedSha256 is not null && !System.Text.RegularExpressions.Regex.IsMatch(expectedSha256, "^[0-9a-f]{64}$"))
            return Error.Validation("artifact.digest-invalid", "The expected SHA-256 must be 64 lower-case hexadecimal characters.");
        await using (var check = await dbFactory.CreateDbContextAsync(ct))
        {
            // PUT is idempotent: a retry of an upload that was stored (its answer lost on the way) gets the same file.
            if (expectedSha256 is not null && await StoredAsync(check, caller, team, asset, version, normalized.Value, expectedSha256, ct) is { } same)
                return same;
            var precheck = await ReadyForUploadAsync(check, caller, team, asset, version, normalized.Value, ct);
            if (precheck is not null)
                return precheck;
        }

        var stored = await store.WriteAsync(content, expectedSha256, ct);
        if (stored is null)
            return RegistryErrors.DigestMismatch;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await VersionService.FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var v = found.Value.Version;
        if (await ReadyForUploadAsync(db, caller, team, asset, version, normalized.Value, ct) is { } late)
            return late;
        var now = clock.GetUtcNow();
        if (!await db.Blobs.AnyAsync(b => b.Sha256 == stored.Sha256, ct))
            db.Blobs.Add(new Blob { Sha256 = stored.Sha256, Size = stored.Size, CreatedAt = now });
        var artifact = new Artifact
        {
            VersionId = v.Id, Path = normalized.Value, Size = stored.Size, Sha256 = stored.Sha256,
            IsUnsafeFormat = ArtifactPath.IsUnsafeFormat(normalized.Value), CreatedAt = now, CreatedBy = caller.Actor.Name,
        };
        db.Artifacts.Add(artifact);
        // Touching the version's revision makes a finalize that raced this upload fail one of the two.
        v.Revision++;
        db.Record(caller.Actor, now, "artifact.uploaded", "version", v.Id.ToString(), found.Value.TeamId,
            after: new { artifact.Path, artifact.Size, artifact.Sha256, artifact.IsUnsafeFormat });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RegistryErrors.Immutable("artifacts");
        }
        catch (UniqueViolationException)
        {
            return RegistryErrors.ArtifactExists;
        }
        return new ArtifactView(artifact.Id, artifact.Path, artifact.Size, artifact.Sha256, artifact.IsUnsafeFormat, false, now, artifact.CreatedBy);
    }

    /// <summary>Opens a file for download; the download is a sensitive read and is audited.</summary>
    public async Task<Result<ArtifactDownload>> OpenAsync(CallerAccess caller, string team, string asset, string version, string path, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await VersionService.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var versionId = found.Value.Version.Id;
        var artifact = await db.Artifacts.AsNoTracking().SingleOrDefaultAsync(a => a.VersionId == versionId && a.Path == path, ct);
        if (artifact is null)
            return RegistryErrors.ArtifactNotFound(path);
        var blob = await db.Blobs.AsNoTracking().SingleAsync(b => b.Sha256 == artifact.Sha256, ct);
        if (blob.Status == BlobStatus.Corrupt)
            return RegistryErrors.BlobCorrupt;
        var stream = await store.OpenReadAsync(artifact.Sha256, ct);
        if (stream is null)
            return RegistryErrors.BlobCorrupt;
        db.Record(caller.Actor, clock.GetUtcNow(), "artifact.downloaded", "version", versionId.ToString(), found.Value.TeamId,
            after: new { artifact.Path, artifact.Sha256 });
        await db.SaveChangesAsync(ct);
        return new ArtifactDownload(stream, artifact.Path.Split('/')[^1], artifact.Sha256, artifact.Size, artifact.CreatedAt);
    }

    private static async Task<ArtifactView?> StoredAsync(PortalDbContext db, CallerAccess caller, string team, string asset, string version, string path,
        string sha256, CancellationToken ct)
    {
        var found = await VersionService.FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return null;
        var versionId = found.Value.Version.Id;
        return await db.Artifacts.AsNoTracking().Where(a => a.VersionId == versionId && a.Path == path && a.Sha256 == sha256)
            .Select(a => new ArtifactView(a.Id, a.Path, a.Size, a.Sha256, a.IsUnsafeFormat, false, a.CreatedAt, a.CreatedBy))
            .SingleOrDefaultAsync(ct);
    }

    private static async Task<Error?> ReadyForUploadAsync(PortalDbContext db, CallerAccess caller, string team, string asset, string version, string path, CancellationToken ct)
    {
        var found = await VersionService.FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error;
        var v = found.Value.Version;
        if (v.Status != VersionStatus.Pending)
            return RegistryErrors.Immutable("artifacts");
        return await db.Artifacts.AnyAsync(a => a.VersionId == v.Id && a.Path == path, ct) ? RegistryErrors.ArtifactExists : null;
    }
}
