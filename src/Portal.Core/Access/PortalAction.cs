namespace Portal.Core.Access;

/// <summary>Everything a caller may be allowed to do. <see cref="AccessGate"/> holds the one rule for each.</summary>
public enum PortalAction
{
    /// <summary>Open a team's workspace, members and registry.</summary>
    ViewTeam,
    /// <summary>Read one asset, its versions, files, metrics and model cards; also through a read-only share.</summary>
    ReadAsset,
    /// <summary>Register and edit assets and versions, upload files, log training and evaluation metrics, save model cards.</summary>
    RegisterAssets,
    /// <summary>Write metrics whose source is evidence (golden-check, production): jobs and granted tokens only.</summary>
    RecordEvidence,
    ShareAssets,
    /// <summary>Ask to move a version to a stage or a protected alias; move an unprotected alias.</summary>
    RequestTransitions,
    /// <summary>Approve or reject a transition request (never one's own: separation of duties is the lifecycle's rule).</summary>
    DecideTransitions,
    /// <summary>Restore the last known good version to Production at once, with a reason.</summary>
    RollBack,
    /// <summary>Mark an alias protected, so it moves only through the Production gate.</summary>
    ProtectAliases,
    /// <summary>
    /// Lift an alias's protection. Central governance's: a TeamAdmin who could lift it could move the alias around the gate and
    /// protect it again.
    /// </summary>
    UnprotectAliases,
    ManageTeamPolicies,
    ManageGlobalPolicies,
    ChangeTeamSettings,
    ManageMembers,
    ViewApiTokens,
    ManageApiTokens,
    /// <summary>See every team, not only one's own.</summary>
    ViewAllTeams,
    CreateTeams,
    ViewUsers,
    ManageUsers,
    ViewJobs,
    /// <summary>Read the denied attempts and refused sign-ins.</summary>
    ViewSecurityEvents,
    /// <summary>See corrupt blobs and other integrity alerts.</summary>
    ReviewIntegrityAlerts,
    /// <summary>Read a team's audit log (TeamAdmins their team; Auditors and PlatformAdmins every team).</summary>
    ViewAudit,
    /// <summary>Read every team's audit log at once, verify the chain, download signed checkpoints.</summary>
    VerifyAudit,
    /// <summary>Export a team's asset dossiers and period reports (PDF, JSON); every team's for Auditors.</summary>
    ExportAudit,
    /// <summary>Start a golden check on a Ready version now (scheduled and on-Ready runs are the portal's own).</summary>
    RunGoldenChecks,
    /// <summary>Define an asset's golden checks: data, metrics, bounds, schedule. Their verdicts feed the gates, so TeamAdmins only.</summary>
    ManageGoldenChecks,
    /// <summary>See a team's background runs (golden checks, archiving) and their outcome.</summary>
    ViewTeamJobs,
    /// <summary>Edit the team's archiving rule, run archiving, restore, purge, and set or clear legal holds.</summary>
    ManageArchiving,
    /// <summary>Edit the archiving rule that teams without their own follow.</summary>
    ManageArchiveDefaults,
}

/// <summary>What the action is done on: nothing (platform actions), a team, or an asset of a team.</summary>
public sealed record AccessTarget(string? TeamSlug, string? AssetName = null, bool SharedWithCaller = false)
{
    /// <summary>Other teams whose approvers a policy names for this decision (e.g. a risk team).</summary>
    public IReadOnlyList<string> AlsoDecidedBy { get; init; } = [];

    public static AccessTarget Platform { get; } = new((string?)null);
    public static AccessTarget Team(string slug) => new(slug);
    public static AccessTarget Asset(string slug, string asset, bool sharedWithCaller) => new(slug, asset, sharedWithCaller);
}

public enum AccessDecision
{
    Allowed,
    /// <summary>The caller may not even learn that the team or asset exists: answered like a missing one.</summary>
    NotVisible,
    Forbidden,
}
