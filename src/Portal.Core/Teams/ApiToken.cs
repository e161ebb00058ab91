namespace Portal.Core.Teams;

/// <summary>A service principal's credential: scoped to one team and role, expiring, stored only as a hash.</summary>
public sealed class ApiToken
{
    public const int MaxNameLength = 100;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TeamId { get; set; }
    public Team? Team { get; set; }
    public required string Name { get; set; }
    public TeamRole Role { get; set; }
    /// <summary>Granted by a TeamAdmin: the token may record golden-check and production metrics, evidence the gates trust.</summary>
    public bool MayRecordEvidence { get; set; }
    /// <summary>SHA-256 of the secret, hex; the secret itself is shown once and never stored.</summary>
    public required string SecretHash { get; set; }
    /// <summary>The first characters of the token, so people can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public Guid CreatedByUserId { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>Set when the expiry was written to the audit trail, so the job records it once.</summary>
    public DateTimeOffset? ExpiryRecordedAt { get; set; }

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}
