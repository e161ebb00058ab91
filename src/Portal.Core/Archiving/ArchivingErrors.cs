using Portal.Core.Common;

namespace Portal.Core.Archiving;

/// <summary>The stable error codes of archiving, documented in the API reference.</summary>
public static class ArchivingErrors
{
    public static Error InvalidRule(string field) => Error.Validation("archive-rule.invalid", $"{field} must be a whole number of days from 0 to {ArchiveRule.MaxDays}.",
        new Dictionary<string, string[]> { [field] = [$"0 to {ArchiveRule.MaxDays} days."] });
    public static Error Archived(string path) => Error.Conflict("artifact.archived",
        $"{path} is archived in the cold store. A TeamAdmin can restore the version to download it again.");
    public static readonly Error NotArchived = Error.Conflict("archive.not-archived", "This version was not archived by an archive run, so there is nothing to restore or purge.");
    public static readonly Error Purged = Error.Conflict("archive.purged", "This version was purged: its files are gone for good.");
    public static Error RetentionRunning(DateTimeOffset until) => Error.Conflict("archive.retention",
        $"The retention period runs until {until:yyyy-MM-dd}; the version can be purged after that.");
    public static Error ConfirmationMismatch(string expected) => Error.Validation("archive.confirmation-mismatch",
        $"Type {expected} exactly to confirm what is purged.", new Dictionary<string, string[]> { ["confirm"] = [$"Type {expected}."] });
    public static Error StillReferenced(string what) => Error.Conflict("archive.still-referenced", $"Not purged: {what}.");
    public static readonly Error ReasonRequired = Error.Validation("archive.reason-required", "Say why: a legal hold needs a reason of 1 to 2000 characters of printable text.",
        new Dictionary<string, string[]> { ["reason"] = ["1 to 2000 characters: printable text, tabs and line breaks."] });
    public static readonly Error BlobMoving = Error.Conflict("archive.blob-moving",
        "A file of this version is being moved between the stores by an archive run or another restore. Ask again in a minute: what was restored so far stays restored.");
    public static Error ColdCopyMissing(string sha256) => Error.Conflict("archive.cold-copy-missing",
        $"The cold copy of blob {sha256[..12]}… is missing or damaged; an administrator must look at the cold store.");
}
