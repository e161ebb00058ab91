namespace Portal.Core.Versions;

/// <summary>The archiving columns of a version, kept apart from the registry's own.</summary>
public sealed partial class AssetVersion
{
    /// <summary>A TeamAdmin's legal hold: the version is never archived or purged while it is set.</summary>
    public bool LegalHold { get; set; }
    /// <summary>
    /// When one of its files was last downloaded: a cheap column written with the audited download, so the
    /// archiving rule reads one indexed column instead of searching the audit trail.
    /// </summary>
    public DateTimeOffset? LastDownloadedAt { get; set; }
    /// <summary>Set when an archive run archived it (not when a promotion retired it): its blobs may be cold, and a purge counts its retention from here.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }
    /// <summary>The archive run that archived it, so a re-run after a kill finishes that run's blobs.</summary>
    public Guid? ArchiveRunId { get; set; }
    /// <summary>Set by a purge: the files are gone for good; the row stays for the record and the audit trail.</summary>
    public DateTimeOffset? PurgedAt { get; set; }
}
