namespace Portal.Core.Artifacts;

/// <summary>Configuration section <c>Artifacts</c>: limits and grace periods of stored bytes, whatever the store.</summary>
public sealed class StorageOptions
{
    /// <summary>Bytes of artifacts a team may keep unless its settings override it; null means no quota.</summary>
    public long? DefaultTeamQuotaBytes { get; set; }
    /// <summary>Temporary files of uploads older than this are abandoned (an upload still running touches its file all the time).</summary>
    public int AbandonedUploadGraceHours { get; set; } = 6;
    /// <summary>A blob that no artifact points at is removed after this long, so an upload that stored it has time to record its artifact.</summary>
    public int UnreferencedBlobGraceHours { get; set; } = 24;
    /// <summary>Ranges are served only from blobs whose whole content was verified this recently (see ADR-007); otherwise the whole, verified file is sent.</summary>
    public int RangeVerifiedWithinDays { get; set; } = 7;

    /// <summary>Problems that stop start-up, each naming its key.</summary>
    public IEnumerable<string> Problems()
    {
        if (DefaultTeamQuotaBytes is < 0)
            yield return "Artifacts:DefaultTeamQuotaBytes must be zero or more (leave it empty for no quota).";
        if (AbandonedUploadGraceHours < 1)
            yield return "Artifacts:AbandonedUploadGraceHours must be at least 1: a slow upload must not lose its temporary file.";
        if (UnreferencedBlobGraceHours < 1)
            yield return "Artifacts:UnreferencedBlobGraceHours must be at least 1: an upload needs time to record its artifact.";
        if (RangeVerifiedWithinDays < 0)
            yield return "Artifacts:RangeVerifiedWithinDays must be zero (never serve ranges) or more.";
    }
}
