using Portal.Core.Common;

namespace Portal.Core.Assets;

public static class RegistryErrors
{
    public static Error AssetNotFound(string name) => Error.NotFound("asset.not-found", $"There is no asset '{name}' that you can see.");
    public static Error VersionNotFound(string version) => Error.NotFound("version.not-found", $"There is no version '{version}' of this asset.");
    public static readonly Error AssetExists = Error.Conflict("asset.exists", "An asset with this name already exists in the team.");
    public static readonly Error VersionExists = Error.Conflict("version.exists", "This version already exists; versions are immutable, register a new one.");
    public static Error Immutable(string what) => Error.Conflict("version.immutable", $"The version is finalized: its {what} can no longer change. Register a new version.");
    public static readonly Error NotPending = Error.Conflict("version.not-pending", "Only a pending version can be finalized or abandoned.");
    public static readonly Error NoArtifacts = Error.Conflict("version.empty", "A version needs at least one artifact or an external reference before it is finalized.");
    public static readonly Error DigestMismatch = Error.Validation("artifact.digest-mismatch", "The content does not match the SHA-256 you sent; nothing was stored.");
    public static readonly Error ArtifactExists = Error.Conflict("artifact.exists", "This version already has a file at this path.");
    public static Error ArtifactNotFound(string path) => Error.NotFound("artifact.not-found", $"This version has no file '{path}'.");
    public static readonly Error BlobCorrupt = Error.Conflict("artifact.corrupt",
        "The stored content failed its integrity check and is not served. Upload the same file again (to any pending version) to repair it.");
    public static Error QuotaExceeded(long quotaBytes) => Error.TooLarge("storage.quota-exceeded",
        $"This upload would take the team over its storage quota of {quotaBytes} bytes; nothing was stored. Remove unused versions or ask a TeamAdmin to raise the quota.");
    public static readonly Error DiskFull = Error.InsufficientStorage("storage.disk-full",
        "The artifact store is below its free-space floor and accepts no uploads now; nothing was stored. Tell a PlatformAdmin.");
    public static readonly Error StorageRace = Error.Conflict("storage.retry",
        "The content was removed as unused at the moment it was uploaded; nothing was recorded. Send it again.");
    public static readonly Error Stale = Error.Conflict("resource.stale", "Someone changed this since you read it (If-Match does not match). Reload and try again.");
    public static readonly Error ReadOnly = Error.Forbidden("asset.read-only", "This asset is shared with your team read-only.");
    public static readonly Error IdempotencyReuse = Error.Conflict("idempotency.key-reused", "This Idempotency-Key was used for a different request.");
    public static Error LineageCycle(string reference) =>
        Error.Validation("lineage.cycle", $"Lineage points at '{reference}', the version being registered: a version cannot come from itself.");

    public static Error UpstreamNotFound(string reference) =>
        Error.Validation("lineage.upstream-not-found", $"Lineage points at '{reference}', which does not exist, is not ready, or is not visible to you.");
}
