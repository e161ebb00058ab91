using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.Teams;
using Portal.Core.Versions;
using Portal.Infrastructure.Data;
using Portal.Testing;

namespace Portal.Benchmarks;

/// <summary>
/// The first page of /approvals (<see cref="ApprovalQueueService.ListAsync"/> with the default filter) and the
/// navigation badge's count, for an approver in five of 50 teams, with 10,000 pending requests (default) spread
/// over those teams. Seeded in bulk through the context: one version per request, an applied Staging request
/// before each pending one, a tenth of them also naming another team's approvers, a few already decided by
/// the approver. The floors are a bare <c>SELECT 1</c> and an index lookup of one team's oldest pending requests.
/// </summary>
internal static class ApprovalQueueBenchmark
{
    private const int Teams = 50;
    private const int ApproverTeams = 5;
    private const int AssetsPerTeam = 20;
    private const int WarmUpCalls = 10;
    private const int Repeats = 5;
    private const int CallsPerRepeat = 20;
    private const double TargetMs = 200;

    public static async Task<int> RunAsync(DatabaseProvider kind, int pending)
    {
        await using var app = new PortalApp(kind);
        await app.InitializeAsync();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();

        var user = await app.SignInAsync("bench-approver", "Bench Approver");
        var seedWatch = Stopwatch.StartNew();
        var seeded = await SeedAsync(dbFactory, pending, user.UserId);
        Console.WriteLine($"{kind}: seeded {pending} pending requests across {Teams} teams in {seedWatch.Elapsed.TotalSeconds:0} s");
        await using (var stats = await dbFactory.CreateDbContextAsync())
            await stats.Database.ExecuteSqlRawAsync("ANALYZE");
        var caller = await app.CallerAsync(user);
        if (caller.Teams.Count != ApproverTeams)
            throw new InvalidOperationException($"The approver is in {caller.Teams.Count} teams, expected {ApproverTeams}.");

        await using var scope = app.Services.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<ApprovalQueueService>();
        var firstTeam = seeded.ApproverTeamIds[0];
        var measures = new (string Name, Func<Task> Call)[]
        {
            ("floor: SELECT 1", () => SelectOneAsync(dbFactory)),
            ("floor: index lookup of one team's 26 oldest pending requests", () => IndexLookupAsync(dbFactory, firstTeam)),
            ("/approvals first page (ListAsync, default filter)", async () => Ensure(await queue.ListAsync(caller, new QueueFilter()))),
            ("waiting badge (CountAsync)", () => queue.CountAsync(caller)),
        };
        var figures = await Interleaved.MeasureAsync(measures, WarmUpCalls, Repeats, CallsPerRepeat);

        var checks = await CheckAsync(queue, caller, seeded);
        var (selectOne, index, page, badge) = (figures[0], figures[1], figures[2], figures[3]);
        Console.WriteLine($"{kind}: {pending} pending requests, {Teams} teams, approver in {ApproverTeams}; {Repeats} repeats × {CallsPerRepeat} calls");
        Console.WriteLine(selectOne.Line(null));
        Console.WriteLine(index.Line(null));
        Console.WriteLine(page.Line(index));
        Console.WriteLine(badge.Line(index));
        var met = page.MedianP95Ms < TargetMs;
        Console.WriteLine($"  checks: {checks}; target p95 < {TargetMs} ms for the first page: {(met ? "met" : "MISSED")}");

        var file = await BenchmarkReport.WriteAsync($"approvals-{kind.ToString().ToLowerInvariant()}", new
        {
            Benchmark = "/approvals first page",
            Provider = kind.ToString(),
            Machine = Machine.Describe(),
            Parameters = new { PendingRequests = pending, Teams, ApproverTeams, AssetsPerTeam, WarmUpCalls, Repeats, CallsPerRepeat },
            Floors = new[] { selectOne, index },
            Figures = new[] { page, badge },
            Ratios = new
            {
                PageToIndexLookup = Math.Round(page.MedianP95Ms / index.MedianP95Ms, 1),
                PageToSelectOne = Math.Round(page.MedianP95Ms / selectOne.MedianP95Ms, 1),
                BadgeToIndexLookup = Math.Round(badge.MedianP95Ms / index.MedianP95Ms, 1),
            },
            Target = new { P95Ms = TargetMs, AppliesTo = "first page", Met = met },
            Checks = checks,
        });
        Console.WriteLine($"  written to {file}");
        return 0;
    }

    private static Page<QueueItem> Ensure(Result<Page<QueueItem>> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Error!.Message);

    private static async Task SelectOneAsync(IDbContextFactory<PortalDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").ToListAsync() is not [1])
            throw new InvalidOperationException("SELECT 1 did not return 1.");
    }

    /// <summary>What the page would cost if it were one team's queue: a range read on the (team, state, created) index.</summary>
    private static async Task IndexLookupAsync(IDbContextFactory<PortalDbContext> dbFactory, Guid teamId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var ids = await db.TransitionRequests.AsNoTracking().Where(r => r.TeamId == teamId && r.State == TransitionState.Pending)
            .OrderBy(r => r.CreatedAt).Select(r => r.Id).Take(26).ToListAsync();
        if (ids.Count != 26)
            throw new InvalidOperationException($"The index lookup found {ids.Count} rows.");
    }

    private sealed record Seeded(IReadOnlyList<Guid> ApproverTeamIds, int ExpectedWaiting, long FirstWaitingId);

    /// <summary>
    /// 50 teams of 20 assets; each pending request on a version of its own, after an applied Staging request on it. The approver
    /// holds the Approver role in the first five teams (a local grant, as a TeamAdmin would give); the expected queue is counted
    /// here from the seed, not by the query under test.
    /// </summary>
    private static async Task<Seeded> SeedAsync(IDbContextFactory<PortalDbContext> dbFactory, int pending, Guid approverId)
    {
        var random = new Random(42);
        var start = DateTimeOffset.UtcNow.AddDays(-10);
        var person = approverId.ToString();
        var teams = Enumerable.Range(0, Teams)
            .Select(t => new Team { Slug = $"bench-team-{t:00}", Name = $"Bench team {t:00}", CreatedAt = start })
            .ToList();
        var approverSlugs = teams.Take(ApproverTeams).Select(t => t.Slug).ToHashSet();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            db.Teams.AddRange(teams);
            db.TeamMemberships.AddRange(teams.Take(ApproverTeams).Select(t => new TeamMembership
            {
                TeamId = t.Id, UserId = approverId, Role = TeamRole.Approver, Source = MembershipSource.LocalGrant, SourceDetail = "bench", GrantedAt = start,
            }));
            await db.SaveChangesAsync();
        }

        var perTeam = pending / Teams;
        var expected = 0;
        long? firstWaiting = null;
        foreach (var team in teams)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var assets = Enumerable.Range(0, AssetsPerTeam).Select(a => new Asset
            {
                TeamId = team.Id, Kind = (AssetKind)(a % 3 + 1), Name = $"asset-{a:00}", Owner = "bench", CreatedBy = "bench", CreatedAt = start, UpdatedAt = start,
            }).ToList();
            db.Assets.AddRange(assets);
            var requests = new List<TransitionRequest>();
            var decided = new List<TransitionRequest>();
            for (var i = 0; i < perTeam; i++)
            {
                var asset = assets[i % AssetsPerTeam];
                var at = start.AddSeconds(i * Teams + teams.IndexOf(team));
                var requester = $"contributor-{random.Next(40)}";
                var version = new AssetVersion
                {
                    TeamId = team.Id, AssetId = asset.Id, Version = $"1.{i / AssetsPerTeam}.0", Major = 1, Minor = i / AssetsPerTeam, CreatedBy = requester,
                    CreatedByActorId = requester, Status = VersionStatus.Ready, CreatedAt = at, FinalizedAt = at, Stage = Stage.Staging, StageChangedAt = at,
                };
                db.Versions.Add(version);
                requests.Add(Request(team.Id, asset.Id, version.Id, "Staging", requester, at, TransitionState.Applied, []));
                // A tenth of the requests in other teams also need one of the approver's teams, as Finance's credit models need risk.
                var approving = !approverSlugs.Contains(team.Slug) && i % 10 == 0 ? new List<string> { teams[i % ApproverTeams].Slug } : [];
                var request = Request(team.Id, asset.Id, version.Id, "Production", requester, at.AddMinutes(1), TransitionState.Pending, approving);
                requests.Add(request);
                // One in fifty of their own team's the approver already approved; it waits for a second signature, not for them.
                if (approverSlugs.Contains(team.Slug) && i % 50 == 7)
                    decided.Add(request);
                else if (approverSlugs.Contains(team.Slug) || approving.Count > 0)
                    expected++;
            }
            db.TransitionRequests.AddRange(requests);
            await db.SaveChangesAsync();
            db.TransitionDecisions.AddRange(decided.Select(r => new TransitionDecision
            {
                RequestId = r.Id, Approved = true, Comment = "First signature", ActorId = person, ActorName = "Bench Approver", PersonKey = person,
                Team = team.Slug, Role = TeamRole.Approver, DecidedAt = r.CreatedAt.AddHours(1),
            }));
            await db.SaveChangesAsync();
            var firstOfTeam = requests.Where(r => r.State == TransitionState.Pending && (approverSlugs.Contains(team.Slug) || r.ApprovingTeams.Count > 0))
                .Except(decided).Select(r => (long?)r.Id).Min();
            if (firstOfTeam is { } id && (firstWaiting is null || id < firstWaiting))
                firstWaiting = id;
        }
        return new Seeded(teams.Take(ApproverTeams).Select(t => t.Id).ToList(), expected, firstWaiting!.Value);
    }

    private static TransitionRequest Request(Guid teamId, Guid assetId, Guid versionId, string target, string requester, DateTimeOffset at, TransitionState state,
        List<string> approvingTeams) => new()
    {
        TeamId = teamId, AssetId = assetId, VersionId = versionId, Target = target, Justification = "Retrained on last week's data", State = state,
        RequestedBy = requester, RequestedByActorId = requester, RequestedByPersonKey = requester, CreatedAt = at, ApprovingTeams = approvingTeams,
        RequiredApprovalsJson = """[{"count":1,"role":"Approver","team":null}]""",
        ClosedAt = state == TransitionState.Pending ? null : at, ClosedBy = state == TransitionState.Pending ? null : "policy gate",
    };

    /// <summary>After the clock stops: a full first page, oldest first, only requests the approver may decide, and the badge's count as seeded.</summary>
    private static async Task<object> CheckAsync(ApprovalQueueService queue, CallerAccess caller, Seeded seeded)
    {
        var page = Ensure(await queue.ListAsync(caller, new QueueFilter()));
        var count = await queue.CountAsync(caller);
        if (page.Items.Count != 25 || page.NextCursor is null)
            throw new InvalidOperationException($"The first page has {page.Items.Count} items (next: {page.NextCursor ?? "none"}), expected 25 and more.");
        if (!page.Items.Select(i => i.Id).SequenceEqual(page.Items.Select(i => i.Id).Order()) || page.Items[0].Id != seeded.FirstWaitingId)
            throw new InvalidOperationException($"The first page starts at {page.Items[0].Id}, expected {seeded.FirstWaitingId}, oldest first.");
        if (page.Items.Any(i => i.Target != "Production"))
            throw new InvalidOperationException("The first page lists a request that is not pending.");
        if (count != seeded.ExpectedWaiting)
            throw new InvalidOperationException($"The badge counts {count}, the seed left {seeded.ExpectedWaiting} for the approver.");
        return new { FirstPageItems = page.Items.Count, FirstId = page.Items[0].Id, Waiting = count, TeamsOnFirstPage = page.Items.Select(i => i.Team).Distinct().Count() };
    }
}
