namespace Portal.Core.Teams;

/// <summary>Team roles are ordered: each includes what the ones below it may do (ADR-0003).</summary>
public enum TeamRole
{
    Viewer = 1,
    Contributor = 2,
    Approver = 3,
    TeamAdmin = 4,
}

public enum GlobalRole
{
    Auditor = 1,
    PlatformAdmin = 2,
}

public enum MembershipSource
{
    /// <summary>Derived from an IdP group at sign-in; replaced at every sign-in.</summary>
    IdpGroup = 1,
    /// <summary>Granted in the portal by a TeamAdmin; kept until revoked.</summary>
    LocalGrant = 2,
}
