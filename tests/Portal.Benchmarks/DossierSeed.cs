using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.ModelCards;
using Portal.Core.Versions;

namespace Portal.Benchmarks;

/// <summary>The dossier benchmark's asset, written straight through the context (seeding is not measured).</summary>
internal static class DossierSeed
{
    /// <summary>
    /// One model asset of the marketing team with <paramref name="versions"/> Ready versions, each with a model card, six metrics
    /// (two slices), a Staging move; every tenth went to Production through an approved request with a comment; then audit events
    /// on the asset's versions up to <paramref name="events"/>.
    /// </summary>
    public static async Task<Guid> SeedAsync(IDbContextFactory<PortalDbContext> dbFactory, int versions, int events)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-400);
        await using var db = await dbFactory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var team = await db.Teams.SingleAsync(t => t.Slug == "marketing");
        var asset = new Asset
        {
            TeamId = team.Id, Kind = AssetKind.Model, Name = "bench-dossier", Description = "A model with a long history, for the dossier benchmark.",
            Owner = "Bench Owner", CreatedBy = "bench", CreatedAt = start, UpdatedAt = start, Tags = ["benchmark", "customer-facing"],
        };
        db.Assets.Add(asset);
        var actor = Actor.System("bench");
        var written = 0;
        for (var v = 0; v < versions; v++)
        {
            var at = start.AddHours(v * 24);
            var version = new AssetVersion
            {
                TeamId = team.Id, AssetId = asset.Id, Version = $"1.{v}.0", Major = 1, Minor = v, CreatedBy = "Bench Contributor", CreatedByActorId = "bench",
                Status = VersionStatus.Ready, CreatedAt = at, FinalizedAt = at, GitCommit = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(v)))[..40],
                Description = $"Retrained on week {v} data with the usual feature set.",
            };
            version.MoveTo(v % 10 == 9 ? Stage.Archived : Stage.Staging, at);
            db.Versions.Add(version);
            db.ModelCardRevisions.Add(new ModelCardRevision
            {
                VersionId = version.Id, Number = 1, CreatedAt = at, CreatedBy = "Bench Contributor", Completeness = 67,
                Sections = ModelCardSections.All.Take(6).ToDictionary(s => s.Key, s => $"{s.Title} of version 1.{v}.0: described at some length for the benchmark, as a real card would be."),
            });
            foreach (var (name, slice, value) in new[] { ("accuracy", "", 0.8), ("accuracy", "sex=female", 0.79), ("accuracy", "sex=male", 0.81), ("auc", "", 0.9), ("recall", "", 0.7), ("loss", "", 0.2) })
                db.Metrics.Add(new Metric { VersionId = version.Id, Name = name, Slice = slice, Value = value + v * 0.0001, Source = MetricSource.Evaluation, RecordedAt = at, RecordedBy = "bench" });
            db.StageChanges.Add(new StageChange { AssetId = asset.Id, VersionId = version.Id, From = Stage.None, To = Stage.Staging, ChangedAt = at, ChangedBy = "policy gate" });
            foreach (var action in new[] { "version.registered", "artifact.uploaded", "metrics.logged", "model-card.revised", "version.finalized", "transition.requested", "stage.changed" })
            {
                db.Record(actor, at, action, "version", version.Id.ToString(), team.Id, after: new { Version = version.Version, Note = "benchmark seed" });
                written++;
            }
            if (v % 10 == 9)
            {
                var request = new TransitionRequest
                {
                    TeamId = team.Id, AssetId = asset.Id, VersionId = version.Id, Target = "Production", Justification = $"Week {v} beats the baseline",
                    State = TransitionState.Applied, RequestedBy = "Bench Contributor", RequestedByActorId = "bench", RequestedByPersonKey = "bench", CreatedAt = at,
                    ClosedAt = at.AddHours(2), ClosedBy = "Bench Approver",
                    EvaluationJson = """[{"policy":"production-minimum","policyRevision":1,"isGlobal":true,"kind":"metric","rule":"accuracy at-least 0.7","outcome":"Pass","explanation":"accuracy 0.8 meets at-least 0.7.","values":{"accuracy":"0.8"}}]""",
                };
                db.TransitionRequests.Add(request);
                await db.SaveChangesAsync();
                db.TransitionDecisions.Add(new TransitionDecision
                {
                    RequestId = request.Id, Approved = true, Comment = $"Checked week {v} on the holdout; fairness within bounds.", ActorId = "approver",
                    ActorName = "Bench Approver", PersonKey = "approver", Team = "marketing", Role = Portal.Core.Teams.TeamRole.Approver, DecidedAt = at.AddHours(2),
                });
            }
        }
        await db.SaveChangesAsync();
        var ids = await db.Versions.Where(x => x.AssetId == asset.Id).Select(x => x.Id).ToListAsync();
        for (var i = written; i < events; i++)
            db.Record(actor, start.AddMinutes(i), "artifact.downloaded", "version", ids[i % ids.Count].ToString(), team.Id, after: new { Path = "model.onnx", Note = "benchmark seed" });
        await db.SaveChangesAsync();
        return asset.Id;
    }
}
