using Microsoft.AspNetCore.Authorization;
using Portal.Core.Access;

namespace Portal.Web.Api;

/// <summary>
/// The action each API endpoint needs, checked by the gate before the request body is even read.
/// An endpoint without a row stops the portal at start-up, so none is ever published unguarded.
/// The services ask the gate again for the exact resource (a share, an evidence metric).
/// </summary>
public static class EndpointPermissions
{
    /// <summary>Null: any signed-in caller; the answer itself is limited to what they may see.</summary>
    public static readonly IReadOnlyDictionary<string, PortalAction?> Table = new Dictionary<string, PortalAction?>
    {
        ["GetMe"] = null,
        ["ListTeams"] = null,
        ["GetTeam"] = PortalAction.ViewTeam,
        ["GetArchiveRule"] = PortalAction.ViewTeam,
        ["SaveArchiveRule"] = PortalAction.ManageArchiving,
        ["SaveDefaultArchiveRule"] = PortalAction.ManageArchiveDefaults,
        ["PreviewArchiving"] = PortalAction.ViewTeam,
        ["StartArchiveRun"] = PortalAction.ManageArchiving,
        ["ListArchivedVersions"] = PortalAction.ViewTeam,
        ["RestoreVersion"] = PortalAction.ManageArchiving,
        ["PurgeVersion"] = PortalAction.ManageArchiving,
        ["SetLegalHold"] = PortalAction.ManageArchiving,
        ["ListMembers"] = PortalAction.ViewTeam,
        ["GrantMembership"] = PortalAction.ManageMembers,
        ["ListAssets"] = PortalAction.ViewTeam,
        ["SearchVersions"] = PortalAction.ViewTeam,
        ["CreateAsset"] = PortalAction.RegisterAssets,
        ["GetAsset"] = PortalAction.ReadAsset,
        ["UpdateAsset"] = PortalAction.RegisterAssets,
        ["ShareAsset"] = PortalAction.ShareAssets,
        ["UnshareAsset"] = PortalAction.ShareAssets,
        ["SuggestNextVersion"] = PortalAction.ReadAsset,
        ["ListVersions"] = PortalAction.ReadAsset,
        ["CreateVersion"] = PortalAction.RegisterAssets,
        ["ImportDvcVersion"] = PortalAction.RegisterAssets,
        ["GetVersion"] = PortalAction.ReadAsset,
        ["CompareVersions"] = PortalAction.ReadAsset,
        ["GetVersionLineage"] = PortalAction.ReadAsset,
        ["GetVersionImpact"] = PortalAction.ReadAsset,
        ["SearchImpact"] = null,
        ["GetReproducibilityManifest"] = PortalAction.ReadAsset,
        ["UpdateVersion"] = PortalAction.RegisterAssets,
        ["FinalizeVersion"] = PortalAction.RegisterAssets,
        ["AbandonVersion"] = PortalAction.RegisterAssets,
        // The service asks again for golden-check and production metrics, which need a granted token.
        ["LogMetrics"] = PortalAction.RegisterAssets,
        ["ListMetrics"] = PortalAction.ReadAsset,
        ["GetModelCard"] = PortalAction.ReadAsset,
        ["SaveModelCard"] = PortalAction.RegisterAssets,
        ["GetPromptTemplate"] = PortalAction.ReadAsset,
        ["PreviewPrompt"] = PortalAction.ReadAsset,
        ["DiffPrompt"] = PortalAction.ReadAsset,
        ["DownloadArtifact"] = PortalAction.ReadAsset,
        ["UploadArtifact"] = PortalAction.RegisterAssets,
        ["RequestTransition"] = PortalAction.RequestTransitions,
        ["ListVersionTransitions"] = PortalAction.ReadAsset,
        ["GetVersionStages"] = PortalAction.ReadAsset,
        // Requests are addressed by number; approvers of another team named by a policy decide them too,
        // so the service asks the gate with the request's asset and deciding teams.
        ["GetTransition"] = null,
        ["ApproveTransition"] = null,
        ["RejectTransition"] = null,
        ["CancelTransition"] = null,
        ["ListApprovals"] = null,
        // Global roles only: no team token holds one, so today only the admin page reads them.
        ["ListSecurityEvents"] = PortalAction.ViewSecurityEvents,
        // A TeamAdmin searches their team's log; the service asks the gate for the team named in the query.
        ["SearchAuditEvents"] = null,
        ["VerifyAuditChain"] = PortalAction.VerifyAudit,
        ["ListAuditCheckpoints"] = PortalAction.VerifyAudit,
        ["GetAuditCheckpoint"] = PortalAction.VerifyAudit,
        ["ExportAuditLog"] = PortalAction.VerifyAudit,
        ["GetAssetStages"] = PortalAction.ReadAsset,
        ["RollBack"] = PortalAction.RollBack,
        ["ListAliases"] = PortalAction.ReadAsset,
        ["ResolveAlias"] = PortalAction.ReadAsset,
        ["MoveAlias"] = PortalAction.RequestTransitions,
        ["ProtectAlias"] = PortalAction.ProtectAliases,
        ["ListTeamPolicies"] = PortalAction.ViewTeam,
        ["GetTeamPolicy"] = PortalAction.ViewTeam,
        ["SaveTeamPolicy"] = PortalAction.ManageTeamPolicies,
        ["DiffTeamPolicy"] = PortalAction.ViewTeam,
        // Auditors and PlatformAdmins read global policies here; team members see them in their team's list.
        ["ListGlobalPolicies"] = PortalAction.ViewAllTeams,
        ["GetGlobalPolicy"] = PortalAction.ViewAllTeams,
        ["SaveGlobalPolicy"] = PortalAction.ManageGlobalPolicies,
        ["DiffGlobalPolicy"] = PortalAction.ViewAllTeams,
        // The service asks again for the team of a team policy.
        ["DryRunPolicy"] = PortalAction.ReadAsset,
        // The team or asset to export is in the body (none: every team): the service asks the gate for it.
        ["StartExport"] = null,
        // Exports are the requester's own; download asks the gate again for the exported team.
        ["ListExports"] = null,
        ["GetExport"] = null,
        ["DownloadExport"] = null,
        // Answers only about exports of teams the caller may export.
        ["CheckExportFile"] = null,
        ["ListGoldenChecks"] = PortalAction.ReadAsset,
        ["SaveGoldenCheck"] = PortalAction.ManageGoldenChecks,
        ["StartGoldenCheck"] = PortalAction.RunGoldenChecks,
        ["ListGoldenCheckResults"] = PortalAction.ReadAsset,
        ["ListVersionGoldenCheckResults"] = PortalAction.ReadAsset,
        ["ListTeamJobs"] = PortalAction.ViewTeamJobs,
        // An external runner is a token granted the right to record evidence; the run's ticket is checked by the service.
        ["ClaimGoldenRun"] = PortalAction.RecordEvidence,
        ["DownloadGoldenRunFile"] = PortalAction.RecordEvidence,
        ["PostGoldenRunResults"] = PortalAction.RecordEvidence,
    };

    /// <summary>Puts each endpoint of the group behind the policy of its action.</summary>
    public static TBuilder RequirePermissions<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var name = endpoint.Metadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName
                ?? throw new InvalidOperationException($"API endpoint '{endpoint.DisplayName}' has no name; give it one and a row in {nameof(EndpointPermissions)}.");
            if (!Table.TryGetValue(name, out var action))
                throw new InvalidOperationException($"API endpoint '{name}' has no row in {nameof(EndpointPermissions)}.{nameof(Table)}.");
            if (action is { } needed)
                endpoint.Metadata.Add(new AuthorizeAttribute(needed.ToString()));
        });
        return builder;
    }
}
