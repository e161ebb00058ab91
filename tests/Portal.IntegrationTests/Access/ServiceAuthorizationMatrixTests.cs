using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Access;
using Portal.Core.Common;
using Portal.Core.Teams;
using Portal.Testing;
using static Portal.IntegrationTests.Access.MatrixRole;

namespace Portal.IntegrationTests.Access;

/// <summary>
/// Every public service method that takes a caller, run as every kind of caller (people, disabled
/// people, and tokens), against one declared table of who may. A new method without a row fails here.
/// </summary>
public sealed class ServiceAuthorizationMatrixTests(SqlitePortal app) : IClassFixture<SqlitePortal>
{
    private static readonly MatrixRole[] Readers =
        [Viewer, Contributor, Approver, TeamAdmin, Auditor, PlatformAdmin, ViewerToken, ContributorToken, ApproverToken, TeamAdminToken];
    private static readonly MatrixRole[] Contributors = [Contributor, Approver, TeamAdmin, ContributorToken, ApproverToken, TeamAdminToken];
    private static readonly MatrixRole[] TeamManagers = [TeamAdmin, PlatformAdmin, TeamAdminToken];
    private static readonly MatrixRole[] Sharers = [TeamAdmin, TeamAdminToken];
    private static readonly MatrixRole[] TokenReaders = [TeamAdmin, Auditor, PlatformAdmin, TeamAdminToken];
    private static readonly MatrixRole[] GlobalReaders = [Auditor, PlatformAdmin];
    private static readonly MatrixRole[] PlatformAdmins = [PlatformAdmin];
    private static readonly MatrixRole[] Deciders = [Approver, TeamAdmin, ApproverToken, TeamAdminToken];
    private static readonly MatrixRole[] Nobody = [];
    /// <summary>A team's policies are its TeamAdmins' alone: PlatformAdmins edit global policies, not a team's.</summary>
    private static readonly MatrixRole[] PolicyEditors = [TeamAdmin, TeamAdminToken];
    /// <summary>Lists that everyone may ask for; the answer holds only what the caller may see.</summary>
    private static readonly MatrixRole[] Filtered = Enum.GetValues<MatrixRole>();

    private static readonly Dictionary<string, MatrixRole[]> Expected = new()
    {
        ["AccessService.IsSharedWithAsync"] = Filtered,
        ["ApiTokenService.ListAsync"] = TokenReaders,
        ["ApiTokenService.ExpiringSoonAsync"] = Filtered,
        ["ApiTokenService.CreateAsync"] = TeamManagers,
        ["ApiTokenService.RevokeAsync"] = TeamManagers,
        ["ArtifactService.UploadAsync"] = Contributors,
        ["ArtifactService.OpenAsync"] = Readers,
        ["AssetService.CreateAsync"] = Contributors,
        ["AssetService.GetAsync"] = Readers,
        ["AssetService.UpdateAsync"] = Contributors,
        ["AssetService.SetSharingAsync"] = Sharers,
        ["AssetService.ListAsync"] = Readers,
        ["MembershipService.ListAsync"] = Readers,
        ["MembershipService.GrantAsync"] = TeamManagers,
        ["MembershipService.RevokeAsync"] = TeamManagers,
        ["MetricService.LogAsync"] = Contributors,
        ["MetricService.ListAsync"] = Readers,
        ["ModelCardService.GetAsync"] = Readers,
        ["ModelCardService.SaveAsync"] = Contributors,
        ["ArchiveRuleService.GetAsync"] = Readers,
        ["ArchiveRuleService.SaveAsync"] = PolicyEditors,
        ["ArchiveRuleService.SaveDefaultAsync"] = PlatformAdmins,
        ["ArchiveRuleService.GetDefaultAsync"] = GlobalReaders,
        ["ArchiveService.PreviewAsync"] = Readers,
        ["ArchiveService.StartRunAsync"] = PolicyEditors,
        ["ArchiveService.ListArchivedAsync"] = Readers,
        ["ArchiveService.SetLegalHoldAsync"] = PolicyEditors,
        ["ArchiveService.StateAsync"] = Readers,
        ["ArchiveRestoreService.RestoreAsync"] = PolicyEditors,
        ["ArchiveRestoreService.PurgeAsync"] = PolicyEditors,
        ["PolicyService.ListAsync"] = Readers,
        ["PolicyService.ListGlobalAsync"] = GlobalReaders,
        ["PolicyService.GetAsync"] = Readers,
        ["PolicyService.GetGlobalAsync"] = GlobalReaders,
        ["PolicyService.SaveAsync"] = PolicyEditors,
        ["PolicyService.SaveGlobalAsync"] = PlatformAdmins,
        ["PolicyService.DiffAsync"] = Readers,
        ["PolicyService.DiffGlobalAsync"] = GlobalReaders,
        ["AuditTrailService.VerifyAsync"] = GlobalReaders,
        ["AuditTrailService.LatestVerificationAsync"] = GlobalReaders,
        ["AuditTrailService.ListCheckpointsAsync"] = GlobalReaders,
        ["AuditTrailService.CheckpointFileAsync"] = GlobalReaders,
        ["AuditTrailService.ExportAsync"] = GlobalReaders,
        // Without a team in the filter: only those who read every team.
        ["AuditQueryService.SearchAsync"] = GlobalReaders,
        ["PolicyService.DryRunAsync"] = Readers,
        ["PromptTemplateService.GetAsync"] = Readers,
        ["PromptTemplateService.PreviewAsync"] = Readers,
        ["PromptTemplateService.DiffAsync"] = Readers,
        ["TeamService.ListVisibleAsync"] = Filtered,
        ["TeamService.RecentActivityAsync"] = Filtered,
        ["TeamService.GetWorkspaceAsync"] = Readers,
        ["TeamService.CreateAsync"] = PlatformAdmins,
        ["TeamService.UpdateAsync"] = TeamManagers,
        ["UserAdminService.ListAsync"] = GlobalReaders,
        ["UserAdminService.SetDisabledAsync"] = PlatformAdmins,
        ["LineageGraphService.GetAsync"] = Readers,
        ["LineageGraphService.ImpactAsync"] = Readers,
        ["LineageGraphService.ImpactOfSourceAsync"] = Filtered,
        ["ReproducibilityService.GetAsync"] = Readers,
        ["VersionComparisonService.CompareAsync"] = Readers,
        ["VersionService.CreateAsync"] = Contributors,
        ["VersionService.GetAsync"] = Readers,
        ["VersionService.ListAsync"] = Readers,
        ["VersionService.SearchAsync"] = Readers,
        ["VersionService.HistoryAsync"] = Readers,
        ["VersionService.SuggestNextAsync"] = Readers,
        ["VersionService.FinalizeAsync"] = Contributors,
        ["VersionService.AbandonAsync"] = Contributors,
        ["VersionService.UpdateAsync"] = Contributors,
        ["StorageQuotaService.GetUsageAsync"] = TeamManagers,
        ["StorageQuotaService.SetQuotaAsync"] = TeamManagers,
        ["BlobIntegrityService.ListCorruptAsync"] = Filtered,
        ["SecurityEventLog.ListAsync"] = GlobalReaders,
        ["TransitionService.RequestAsync"] = Contributors,
        ["TransitionService.CancelAsync"] = Nobody,
        ["TransitionService.GetAsync"] = Readers,
        ["TransitionService.ListForVersionAsync"] = Readers,
        ["DecisionService.DecideAsync"] = Deciders,
        ["ApprovalQueueService.ListAsync"] = Filtered,
        ["ApprovalQueueService.CountAsync"] = Filtered,
        ["ApprovalQueueService.ReviewAsync"] = Readers,
        ["AliasService.ListAsync"] = Readers,
        ["AliasService.ResolveAsync"] = Readers,
        ["AliasService.MoveAsync"] = Contributors,
        // Called with protected: false, like every bool here: lifting a protection is central governance's (protecting is the TeamAdmins', GateBypassTests).
        ["AliasService.SetProtectedAsync"] = PlatformAdmins,
        ["AssetStagesService.GetAsync"] = Readers,
        ["AssetStagesService.ForVersionAsync"] = Readers,
        ["AssetStagesService.RollBackAsync"] = Deciders,
        // A dossier of the demo churn model (kind "dossier" below): the team's TeamAdmins and the global readers.
        ["ExportService.StartAsync"] = [TeamAdmin, Auditor, PlatformAdmin, TeamAdminToken],
        ["ExportService.ListAsync"] = Filtered,
        // Exports are the requester's own, and no caller here started the one asked for.
        ["ExportService.GetAsync"] = Nobody,
        ["ExportService.DownloadAsync"] = Nobody,
        ["ExportCheckService.CheckAsync"] = Filtered,
        ["GoldenCheckService.ListAsync"] = Readers,
        ["GoldenCheckService.HistoryAsync"] = Readers,
        ["GoldenCheckService.VersionResultsAsync"] = Readers,
        ["GoldenCheckService.StartAsync"] = Contributors,
        // Golden checks' verdicts feed the gates: their definitions are the team's TeamAdmins' alone, like its policies.
        ["GoldenCheckService.SaveAsync"] = PolicyEditors,
        ["JobRunService.ListAsync"] = Readers,
        ["JobRunService.StartableChecksAsync"] = Readers,
        ["NotificationService.RecentAsync"] = Filtered,
        ["MetricTrendService.TrendAsync"] = Readers,
        // External runners are tokens granted the right to record evidence; no caller here holds that grant.
        ["ExternalRunService.ClaimAsync"] = Nobody,
        ["ExternalRunService.OpenAsync"] = Nobody,
        ["ExternalRunService.CompleteAsync"] = Nobody,
    };

    private static readonly string[] RefusalCodes = ["team.not-found", "asset.not-found", "team.forbidden", "platform.forbidden", "asset.read-only",
        "transition.not-found", "transition.not-requester", "transition.separation-of-duties", "export.not-found"];

    private static IReadOnlyList<MethodInfo> ServiceMethods() =>
        typeof(AccessGate).Assembly.GetExportedTypes()
            // Records carry the caller as data, not as a request to act: skip them (they have a compiler-made clone method).
            .Where(t => t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is null)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(CallerAccess)))
            .ToList();

    private static string Key(MethodInfo m) => $"{m.DeclaringType!.Name}.{m.Name}";

    [Fact]
    public void Every_service_method_taking_a_caller_has_a_row_in_the_declared_table()
    {
        var missing = ServiceMethods().Select(Key).Where(k => !Expected.ContainsKey(k)).Distinct().ToList();
        var stale = Expected.Keys.Except(ServiceMethods().Select(Key)).ToList();

        Assert.True(missing.Count == 0, "Service methods without a row: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rows without a method: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Every_service_method_answers_each_caller_as_the_table_says()
    {
        var callers = await CallersAsync();
        var requestId = await AuthorizationMatrixTests.DemoRequestIdAsync(app);
        var mismatches = new List<string>();
        foreach (var method in ServiceMethods().Where(m => Expected.ContainsKey(Key(m))))
        {
            foreach (var (role, caller) in callers)
            {
                await using var scope = app.Services.CreateAsyncScope();
                var service = scope.ServiceProvider.GetRequiredService(method.DeclaringType!);
                var task = (Task)method.Invoke(service, method.GetParameters().Select(p => Argument(p, caller, requestId)).ToArray())!;
                await task;
                var result = task.GetType().GetProperty("Result")!.GetValue(task);
                var error = result?.GetType().GetProperty(nameof(Result.Error))?.GetValue(result) as Error;
                var allowed = error is null || !RefusalCodes.Contains(error.Code);
                var expected = Expected[Key(method)].Contains(role);
                if (allowed != expected)
                    mismatches.Add($"{Key(method)} as {role}: {error?.Code ?? "ok"}, expected {(expected ? "allowed" : "refused")}");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    private async Task<Dictionary<MatrixRole, CallerAccess>> CallersAsync()
    {
        async Task<CallerAccess> Person(string group)
        {
            var user = await app.SignInAsync($"matrix-{Guid.NewGuid():N}", "Matrix " + group, group);
            return await app.CallerAsync(user);
        }
        async Task<CallerAccess> Token(string team, TeamRole role)
        {
            var secret = await app.IssueTokenAsync(team, role);
            var principal = (await app.InScopeAsync<ApiTokenService, Result<ApiTokenPrincipal>>(s => s.AuthenticateAsync(secret))).Value;
            return AccessService.ForToken(principal, new Actor(ActorKind.ServicePrincipal, principal.TokenId.ToString(), principal.Name));
        }
        var admin = await Person("portal-admins");
        var disabled = await app.SignInAsync($"matrix-{Guid.NewGuid():N}", "Matrix disabled", "marketing-admins");
        await app.InScopeAsync<UserAdminService, Result>(s => s.SetDisabledAsync(admin, disabled.UserId, true));
        var resolvedDisabled = await app.InScopeAsync<AccessService, CallerAccess?>(a => a.ForUserAsync(disabled.UserId, Actor.ForUser(disabled.UserId, disabled.Name)));
        return new Dictionary<MatrixRole, CallerAccess>
        {
            [Anonymous] = CallerAccess.Anonymous,
            [Viewer] = await Person("marketing-viewers"),
            [Contributor] = await Person("marketing-contributors"),
            [Approver] = await Person("marketing-approvers"),
            [TeamAdmin] = await Person("marketing-admins"),
            [OtherTeamAdmin] = await Person("finance-admins"),
            [Auditor] = await Person("portal-auditors"),
            [PlatformAdmin] = admin,
            // A disabled person resolves to no access at all, as the request pipeline resolves them.
            [DisabledUser] = resolvedDisabled ?? CallerAccess.Anonymous,
            [ViewerToken] = await Token("marketing", TeamRole.Viewer),
            [ContributorToken] = await Token("marketing", TeamRole.Contributor),
            [ApproverToken] = await Token("marketing", TeamRole.Approver),
            [TeamAdminToken] = await Token("marketing", TeamRole.TeamAdmin),
            [OtherTeamAdminToken] = await Token("finance", TeamRole.TeamAdmin),
        };
    }

    /// <summary>Arguments that pass validation where they can, on the demo registry, without changing who may see what.</summary>
    private static object? Argument(ParameterInfo p, CallerAccess caller, long requestId)
    {
        if (p.ParameterType == typeof(CallerAccess))
            return caller;
        if (p.ParameterType == typeof(long) && p.Name == "id")
            return requestId;
        if (p.ParameterType == typeof(CancellationToken))
            return CancellationToken.None;
        if (p.HasDefaultValue)
            return p.DefaultValue;
        return Value(p.ParameterType, p.Name!);
    }

    private static object? Value(Type type, string name)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
            return Value(nullable, name);
        if (type == typeof(string))
        {
            return name.ToLowerInvariant() switch
            {
                "team" or "teamslug" or "slug" or "otherteamslug" => "marketing",
                "asset" or "name" or "assetname" => "churn-classifier",
                "version" or "fromversion" => "1.0.0",
                "toversion" => "1.1.0",
                "target" => "Staging",
                "kind" => "dossier",
                "format" => "pdf",
                "path" => "model/churn.onnx",
                "email" => "nobody@example.com",
                "expectedsha256" => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("matrix"u8)),
                _ => "matrix",
            };
        }
        if (type == typeof(Guid))
            return Guid.NewGuid();
        if (type == typeof(bool))
            return false;
        if (type == typeof(int))
            return 10;
        if (type == typeof(long) || type == typeof(double))
            return Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture);
        if (type == typeof(TimeSpan))
            return TimeSpan.FromDays(1);
        if (type == typeof(DateTimeOffset))
            return DateTimeOffset.UtcNow;
        if (type.IsEnum)
            return Enum.GetValues(type).GetValue(0);
        if (type == typeof(Stream))
        {
            // Readable for uploads, expandable for exports written into it.
            var stream = new MemoryStream();
            stream.Write("matrix"u8);
            stream.Position = 0;
            return stream;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var generic
            && (generic == typeof(IReadOnlyDictionary<,>) || generic == typeof(Dictionary<,>) || generic == typeof(IDictionary<,>)))
            return Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(type.GetGenericArguments()));
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var list
            && (list == typeof(IReadOnlyList<>) || list == typeof(List<>) || list == typeof(IReadOnlyCollection<>) || list == typeof(IEnumerable<>)))
        {
            var element = type.GetGenericArguments()[0];
            var items = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            items.Add(Value(element, name));
            return items;
        }
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : Value(p.ParameterType, p.Name!)).ToArray());
    }
}
