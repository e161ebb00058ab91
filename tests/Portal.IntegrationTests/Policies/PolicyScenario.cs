using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Lineage;
using Portal.Core.ModelCards;
using Portal.Core.Policies;
using Portal.Core.Versions;
using Portal.Testing;

namespace Portal.IntegrationTests.Policies;

/// <summary>
/// A Marketing model of its own per test (so demo data and other tests never interfere): a Production
/// version 1.0.0 with accuracy 0.861 and a Ready candidate 1.1.0 with accuracy 0.884, recall by sex,
/// lineage, a commit and a model card.
/// </summary>
internal sealed record PolicyScenario(string Asset, Guid ProductionId, Guid CandidateId)
{
    public static async Task<PolicyScenario> CreateAsync(PortalApp app, params string[] tags)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var team = await db.Teams.SingleAsync(t => t.Slug == "marketing");
        var now = DateTimeOffset.UtcNow;
        var asset = new Asset { TeamId = team.Id, Kind = AssetKind.Model, Name = $"policy-{Guid.NewGuid():N}"[..20], Owner = "test", CreatedBy = "test", Tags = tags.ToList() };
        var dataset = new Asset { TeamId = team.Id, Kind = AssetKind.Dataset, Name = $"data-{Guid.NewGuid():N}"[..20], Owner = "test", CreatedBy = "test" };
        var data = Ready(team.Id, dataset.Id, "1.0.0", now);
        var production = Ready(team.Id, asset.Id, "1.0.0", now);
        production.MoveTo(Portal.Core.Lifecycle.Stage.Production, now);
        var candidate = Ready(team.Id, asset.Id, "1.1.0", now);
        candidate.GitCommit = "4f2a9c1d";
        db.AddRange(asset, dataset, data, production, candidate);
        db.LineageEdges.Add(new LineageEdge { VersionId = candidate.Id, UpstreamVersionId = data.Id, Kind = LineageKind.TrainedOn });
        db.Metrics.AddRange(
            Metric(production.Id, "accuracy", 0.861, "", now),
            Metric(candidate.Id, "accuracy", 0.5, "", now.AddMinutes(-5)),
            Metric(candidate.Id, "accuracy", 0.884, "", now),
            Metric(candidate.Id, "accuracy", 0.1, "", now.AddMinutes(1), step: 10),
            Metric(candidate.Id, "recall", 0.80, "sex=female", now),
            Metric(candidate.Id, "recall", 0.83, "sex=male", now));
        db.ModelCardRevisions.Add(new ModelCardRevision
        {
            VersionId = candidate.Id, Number = 1, CreatedBy = "test", CreatedAt = now,
            Sections = new() { ["intendedUse"] = "Ranking customers by churn risk for offers.", ["limitations"] = "Not calibrated for new markets." },
        });
        await db.SaveChangesAsync();
        return new PolicyScenario(asset.Name, production.Id, candidate.Id);
    }

    private static AssetVersion Ready(Guid teamId, Guid assetId, string version, DateTimeOffset at)
    {
        var v = AssetVersion.Create(teamId, assetId, AssetVersion.ParseVersion(version).Value, "test", null, at);
        v.Status = VersionStatus.Ready;
        v.FinalizedAt = at;
        return v;
    }

    private static Metric Metric(Guid versionId, string name, double value, string slice, DateTimeOffset at, long? step = null) => new()
    {
        VersionId = versionId, Name = name, Value = value, Slice = slice, Step = step, RecordedAt = at, RecordedBy = "test", Source = MetricSource.Evaluation,
    };

    /// <summary>Stores a revision directly, as an already validated save would.</summary>
    public static async Task StoreAsync(PortalApp app, string? team, string yaml, int number = 1)
    {
        await using var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var teamId = team is null ? (Guid?)null : await db.Teams.Where(t => t.Slug == team).Select(t => t.Id).SingleAsync();
        db.PolicyRevisions.Add(PolicyRevision.Create(teamId, PolicyParser.Parse(yaml).Value.Name, number, yaml, "test", DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    }
}
