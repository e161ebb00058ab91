namespace Portal.Core.Teams;

/// <summary>
/// One source of one role in one team. A user may hold several (an IdP group and a local grant);
/// the effective role is the highest.
/// </summary>
public sealed class TeamMembership
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TeamId { get; set; }
    public Team? Team { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public TeamRole Role { get; set; }
    public MembershipSource Source { get; set; }
    /// <summary>The IdP group for <see cref="MembershipSource.IdpGroup"/>, else the granting user's name.</summary>
    public string SourceDetail { get; set; } = "";
    public DateTimeOffset GrantedAt { get; set; }
}

public sealed class GlobalRoleAssignment
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public GlobalRole Role { get; set; }
    public MembershipSource Source { get; set; }
    public string SourceDetail { get; set; } = "";
    public DateTimeOffset GrantedAt { get; set; }
}
