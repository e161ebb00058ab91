using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Access.MatrixRole;

namespace Portal.IntegrationTests.Access;

/// <summary>
/// Every API endpoint of the running portal, called as every kind of caller, against one declared table
/// of who may. An endpoint without a row fails here (and stops the portal at start-up).
/// </summary>
public sealed class AuthorizationMatrixTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private static readonly MatrixRole[] Anyone = [ViewerToken, ContributorToken, ApproverToken, TeamAdminToken, OtherTeamAdminToken];
    private static readonly MatrixRole[] TeamReaders = [ViewerToken, ContributorToken, ApproverToken, TeamAdminToken];
    private static readonly MatrixRole[] Contributors = [ContributorToken, ApproverToken, TeamAdminToken];
    private static readonly MatrixRole[] TeamAdmins = [TeamAdminToken];
    private static readonly MatrixRole[] Approvers = [ApproverToken, TeamAdminToken];
    /// <summary>Only the requester cancels, and no caller here made the demo request.</summary>
    private static readonly MatrixRole[] Nobody = [];

    /// <summary>The declared table: who may call each endpoint of the API with a token.</summary>
    private static readonly Dictionary<string, MatrixRole[]> Expected = new()
    {
        ["GetMe"] = Anyone,
        ["ListTeams"] = Anyone,
        ["GetTeam"] = TeamReaders,
        ["GetArchiveRule"] = TeamReaders,
        ["SaveArchiveRule"] = TeamAdmins,
        // The default rule is the PlatformAdmins'; no token holds a global role.
        ["SaveDefaultArchiveRule"] = [],
        ["PreviewArchiving"] = TeamReaders,
        ["StartArchiveRun"] = TeamAdmins,
        ["ListArchivedVersions"] = TeamReaders,
        ["RestoreVersion"] = TeamAdmins,
        ["PurgeVersion"] = TeamAdmins,
        ["SetLegalHold"] = TeamAdmins,
        ["ListMembers"] = TeamReaders,
        ["GrantMembership"] = TeamAdmins,
        ["ListAssets"] = TeamReaders,
        ["SearchVersions"] = TeamReaders,
        ["CreateAsset"] = Contributors,
        ["GetAsset"] = TeamReaders,
        ["UpdateAsset"] = Contributors,
        ["ShareAsset"] = TeamAdmins,
        ["UnshareAsset"] = TeamAdmins,
        ["SuggestNextVersion"] = TeamReaders,
        ["ListVersions"] = TeamReaders,
        ["CreateVersion"] = Contributors,
        ["ImportDvcVersion"] = Contributors,
        ["GetVersion"] = TeamReaders,
        ["CompareVersions"] = TeamReaders,
        ["GetVersionLineage"] = TeamReaders,
        ["GetVersionImpact"] = TeamReaders,
        ["SearchImpact"] = Anyone,
        ["GetReproducibilityManifest"] = TeamReaders,
        ["UpdateVersion"] = Contributors,
        ["FinalizeVersion"] = Contributors,
        ["AbandonVersion"] = Contributors,
        ["LogMetrics"] = Contributors,
        ["ListMetrics"] = TeamReaders,
        ["GetModelCard"] = TeamReaders,
        ["SaveModelCard"] = Contributors,
        ["GetPromptTemplate"] = TeamReaders,
        ["PreviewPrompt"] = TeamReaders,
        ["DiffPrompt"] = TeamReaders,
        ["DownloadArtifact"] = TeamReaders,
        ["UploadArtifact"] = Contributors,
        ["RequestTransition"] = Contributors,
        ["ListVersionTransitions"] = TeamReaders,
        ["GetVersionStages"] = TeamReaders,
        ["GetTransition"] = TeamReaders,
        ["ApproveTransition"] = Approvers,
        ["RejectTransition"] = Approvers,
        ["CancelTransition"] = Nobody,
        ["ListApprovals"] = Anyone,
        ["ListSecurityEvents"] = Nobody,
        // Without ?team= only global readers may search, and no token holds a global role.
        ["SearchAuditEvents"] = Nobody,
        ["VerifyAuditChain"] = Nobody,
        ["ListAuditCheckpoints"] = Nobody,
        ["GetAuditCheckpoint"] = Nobody,
        ["ExportAuditLog"] = Nobody,
        ["GetAssetStages"] = TeamReaders,
        ["RollBack"] = Approvers,
        ["ListAliases"] = TeamReaders,
        ["ResolveAlias"] = TeamReaders,
        ["MoveAlias"] = Contributors,
        // An empty body asks to lift the protection, which is central governance's: no token holds a global role (protecting: GateBypassTests).
        ["ProtectAlias"] = [],
        ["ListTeamPolicies"] = TeamReaders,
        ["GetTeamPolicy"] = TeamReaders,
        ["SaveTeamPolicy"] = TeamAdmins,
        ["DiffTeamPolicy"] = TeamReaders,
        // Global policies are read and edited by people with global roles; no token holds one.
        ["ListGlobalPolicies"] = [],
        ["GetGlobalPolicy"] = [],
        ["SaveGlobalPolicy"] = [],
        ["DiffGlobalPolicy"] = [],
        ["DryRunPolicy"] = TeamReaders,
        // An empty body asks for every team's report, which only global roles may (no token holds one).
        ["StartExport"] = [],
        ["ListExports"] = Anyone,
        // Exports are the requester's own, and no caller here started one.
        ["GetExport"] = Nobody,
        ["DownloadExport"] = Nobody,
        ["CheckExportFile"] = Anyone,
        ["ListGoldenChecks"] = TeamReaders,
        ["SaveGoldenCheck"] = TeamAdmins,
        ["StartGoldenCheck"] = Contributors,
        ["ListGoldenCheckResults"] = TeamReaders,
        ["ListVersionGoldenCheckResults"] = TeamReaders,
        ["ListTeamJobs"] = TeamReaders,
        // Only tokens granted the right to record evidence run checks externally; none here holds the grant.
        ["ClaimGoldenRun"] = Nobody,
        ["DownloadGoldenRunFile"] = Nobody,
        ["PostGoldenRunResults"] = Nobody,
    };

    private static readonly Dictionary<string, string> RouteValues = new()
    {
        ["team"] = "marketing",
        ["asset"] = "churn-classifier",
        ["version"] = "1.1.0",
        // Sharing with one's own team is refused after the gate: the matrix never changes who sees what.
        ["otherTeam"] = "marketing",
        ["path"] = "model/churn.onnx",
        ["alias"] = "champion",
        ["name"] = "matrix-policy",
        ["treeSize"] = "1",
        ["check"] = "matrix-check",
        ["run"] = "6f1c1d9e-0000-4000-8000-000000000001",
        ["sha256"] = new string('a', 64),
    };

    [Fact]
    public void Every_api_endpoint_has_a_row_in_the_declared_table()
    {
        var missing = ApiEndpoints().Select(e => e.Name).Where(n => !Expected.ContainsKey(n)).ToList();
        var stale = Expected.Keys.Except(ApiEndpoints().Select(e => e.Name)).ToList();

        Assert.True(missing.Count == 0, "Endpoints without a row: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rows without an endpoint: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Every_api_endpoint_answers_each_caller_as_the_table_says()
    {
        var clients = new Dictionary<MatrixRole, HttpClient>
        {
            [Anonymous] = app.CreateClient(),
            [ViewerToken] = await app.ApiClientAsync("marketing", TeamRole.Viewer),
            [ContributorToken] = await app.ApiClientAsync("marketing", TeamRole.Contributor),
            [ApproverToken] = await app.ApiClientAsync("marketing", TeamRole.Approver),
            [TeamAdminToken] = await app.ApiClientAsync("marketing", TeamRole.TeamAdmin),
            [OtherTeamAdminToken] = await app.ApiClientAsync("finance", TeamRole.TeamAdmin),
            [DisabledIssuerToken] = await DisabledIssuersClientAsync(),
        };
        var routeValues = new Dictionary<string, string>(RouteValues) { ["id"] = (await DemoRequestIdAsync(app)).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var mismatches = new List<string>();
        foreach (var endpoint in ApiEndpoints().Where(e => Expected.ContainsKey(e.Name)))
        {
            foreach (var (role, client) in clients)
            {
                using var response = await client.SendAsync(Request(endpoint, routeValues));
                var allowed = !await IsRefusalAsync(response);
                var expected = Expected[endpoint.Name].Contains(role);
                if (allowed != expected)
                    mismatches.Add($"{endpoint.Method} {endpoint.Name} as {role}: {(int)response.StatusCode}, expected {(expected ? "allowed" : "refused")}");
                if (response.StatusCode == HttpStatusCode.InternalServerError)
                    mismatches.Add($"{endpoint.Method} {endpoint.Name} as {role}: 500");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    /// <summary>A TeamAdmin's token after the TeamAdmin was disabled: it holds no right any more.</summary>
    private async Task<HttpClient> DisabledIssuersClientAsync()
    {
        var issuer = await app.SignInAsync($"matrix-{Guid.NewGuid():N}", "Matrix issuer", "marketing-admins");
        var caller = await app.CallerAsync(issuer);
        var token = await app.InScopeAsync<ApiTokenService, Result<IssuedApiToken>>(s => s.CreateAsync(caller, "marketing", "matrix-issuer", TeamRole.TeamAdmin, 30));
        var admin = await app.CallerAsync(await app.SignInAsync($"matrix-{Guid.NewGuid():N}", "Matrix admin", "portal-admins"));
        var disabled = await app.InScopeAsync<UserAdminService, Result>(s => s.SetDisabledAsync(admin, issuer.UserId, true));
        Assert.True(disabled.IsSuccess);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value.Secret);
        return client;
    }

    private sealed record ApiEndpoint(string Name, string Method, string Pattern);

    private IReadOnlyList<ApiEndpoint> ApiEndpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new ApiEndpoint(e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.RoutePattern.RawText!, m, e.RoutePattern.RawText!)))
            .ToList();

    /// <summary>The demo's pending Production request for the churn model, which every decision endpoint is tried on.</summary>
    internal static async Task<long> DemoRequestIdAsync(PortalApp portal)
    {
        await using var db = await portal.Service<Microsoft.EntityFrameworkCore.IDbContextFactory<Portal.Core.Data.PortalDbContext>>().CreateDbContextAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.TransitionRequests.Where(r => r.State == Portal.Core.Lifecycle.TransitionState.Pending && r.Target == "Production"
                && db.Assets.Any(a => a.Id == r.AssetId && a.Name == "churn-classifier")).Select(r => r.Id));
    }

    private static HttpRequestMessage Request(ApiEndpoint endpoint, IReadOnlyDictionary<string, string> routeValues)
    {
        // {name}, {**name} and {name:constraint} all take the value named.
        var url = System.Text.RegularExpressions.Regex.Replace(endpoint.Pattern, @"\{\*{0,2}(\w+)(:[^}]*)?\}", m => routeValues[m.Groups[1].Value]);
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), url);
        if (endpoint.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = endpoint.Name == "UploadArtifact"
                ? new ByteArrayContent(Encoding.UTF8.GetBytes("matrix"))
                : new StringContent("{}", Encoding.UTF8, "application/json");
        }
        return request;
    }

    /// <summary>A refusal is 401, 403, or the 404 of a team or asset the caller may not see; any other answer passed the gate.</summary>
    private static async Task<bool> IsRefusalAsync(HttpResponseMessage response)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            return true;
        if (response.StatusCode != HttpStatusCode.NotFound || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return false;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("code").GetString() is "team.not-found" or "asset.not-found" or "transition.not-found" or "export.not-found";
    }
}

public enum MatrixRole
{
    Anonymous,
    Viewer,
    Contributor,
    Approver,
    TeamAdmin,
    OtherTeamAdmin,
    Auditor,
    PlatformAdmin,
    DisabledUser,
    ViewerToken,
    ContributorToken,
    ApproverToken,
    TeamAdminToken,
    OtherTeamAdminToken,
    DisabledIssuerToken,
}
