namespace Portal.Core.Exports;

public enum ExportKind
{
    /// <summary>Everything about one asset, for an auditor to check offline.</summary>
    Dossier = 1,
    /// <summary>What happened in a team (or every team) over a date range.</summary>
    PeriodReport = 2,
}

public enum ExportFormat
{
    Pdf = 1,
    Json = 2,
}

public enum ExportState
{
    Queued = 1,
    Running = 2,
    Completed = 3,
    Failed = 4,
}

/// <summary>
/// One export someone asked for: the durable intent the render job reads (it takes only the id), its
/// progress while it runs, and the finished file with its SHA-256, which the <c>export.issued</c> audit
/// event also holds. The file is kept in the database so every portal instance can serve it.
/// </summary>
public sealed class AuditExport
{
    public const int MaxFileBytes = 200 * 1024 * 1024;

    public Guid Id { get; set; } = Guid.NewGuid();
    public ExportKind Kind { get; set; }
    public ExportFormat Format { get; set; }
    /// <summary>The team exported; null for a period report over every team (Auditors and PlatformAdmins only).</summary>
    public Guid? TeamId { get; set; }
    public string? TeamSlug { get; set; }
    public Guid? AssetId { get; set; }
    public string? AssetName { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    /// <summary>The person the file is issued to (<see cref="Common.Actor.PersonKey"/>): only they see and download it.</summary>
    public required string RequestedByKey { get; set; }
    public required string RequestedBy { get; set; }
    /// <summary>The API token that asked, when one did: the dossier is drawn with what that token may read, not its issuer's every role.</summary>
    public Guid? RequestedByTokenId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public ExportState State { get; set; } = ExportState.Queued;
    /// <summary>0 to 100, written by the job as it goes.</summary>
    public int Progress { get; set; }
    public string ProgressNote { get; set; } = "Waiting to start";
    public DateTimeOffset? CompletedAt { get; set; }
    public string? FileName { get; set; }
    public string? Sha256 { get; set; }
    public long Length { get; set; }
    public int Pages { get; set; }
    public byte[]? Content { get; set; }
    public string? Failure { get; set; }
}
