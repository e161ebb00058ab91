using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Data;
using Portal.Core.Lifecycle;
using Portal.Core.ModelCards;
using Portal.Core.Teams;

namespace Portal.Core.Exports;

/// <summary>Reads everything the dossier of one asset holds. The caller has already passed the gate for the asset.</summary>
internal static class DossierReader
{
    /// <param name="prove">Reads the audit events of the given subjects with their proofs (the audit chain's proof service).</param>
    /// <param name="withPaths">Spell every event's audit path (the JSON edition; the PDF lists each subtree once).</param>
    /// <param name="reader">Who asked for it, as they stand now: another team's versions in its lineage are named only if they may read them.</param>
    public static async Task<DossierContent> ReadAsync(PortalDbContext db, ExportHeader header, Guid assetId, CallerAccess? reader,
        Func<IReadOnlyCollection<AuditSubject>, Task<AuditProofBundle>> prove, bool withPaths, CancellationToken ct)
    {
        var asset = await db.Assets.AsNoTracking().SingleAsync(a => a.Id == assetId, ct);
        var team = await db.Teams.AsNoTracking().Where(t => t.Id == asset.TeamId).Select(t => t.Slug).SingleAsync(ct);
        var sharedWith = await db.AssetShares.AsNoTracking().Where(s => s.AssetId == assetId)
            .Join(db.Teams, s => s.TeamId, t => t.Id, (s, t) => t.Slug).OrderBy(s => s).ToListAsync(ct);
        var versions = await db.Versions.AsNoTracking().Where(v => v.AssetId == assetId)
            .OrderBy(v => v.SortKey).ToListAsync(ct);
        var label = versions.ToDictionary(v => v.Id, v => v.Version);
        var versionIds = label.Keys.ToList();

        var aliases = await db.Aliases.AsNoTracking().Where(a => a.AssetId == assetId).ToListAsync(ct);
        var cards = await db.ModelCardRevisions.AsNoTracking().Where(c => versionIds.Contains(c.VersionId)).ToListAsync(ct);
        var latestCards = cards.GroupBy(c => c.VersionId).ToDictionary(g => g.Key, g => g.MaxBy(c => c.Number)!);

        var stages = await db.StageChanges.AsNoTracking().Where(s => s.AssetId == assetId).OrderBy(s => s.ChangedAt).ThenBy(s => s.Id).ToListAsync(ct);
        var lineage = await LineageAsync(db, versionIds, label, asset.TeamId, reader, ct);
        var metrics = await db.Metrics.AsNoTracking().Where(m => versionIds.Contains(m.VersionId)).ToListAsync(ct);
        var transitions = await TransitionsAsync(db, assetId, label, ct);
        var golden = await (from r in db.GoldenCheckResults.AsNoTracking()
                            join c in db.GoldenChecks on r.CheckId equals c.Id
                            where r.AssetId == assetId
                            orderby r.CompletedAt
                            select new { r, c.Name }).ToListAsync(ct);
        // The asset's own events, and those of earlier exports of it: who took a dossier of it is part of its record.
        var exportIds = await db.AuditExports.AsNoTracking().Where(x => x.AssetId == assetId).Select(x => x.Id).ToListAsync(ct);
        var bundle = await prove([.. AuditSubject.ForAsset(assetId, versionIds), .. exportIds.Select(id => new AuditSubject("export", id.ToString()))]);
        var events = bundle.Events.Select(e => ExportIntegrity.Event(e, x => Subject(x, label), withPaths)).ToList();

        return new DossierContent(
            header,
            new DossierAsset(team, asset.Name, asset.Kind.ToString(), asset.Description, asset.Owner, asset.Tags, asset.CreatedAt, asset.CreatedBy, sharedWith),
            ModelCard(versions.Select(v => v.Id).ToList(), latestCards, label),
            versions.Select(v => new DossierVersion(v.Version, v.Status.ToString(), v.Stage.ToString(), v.CreatedAt, v.CreatedBy, v.FinalizedAt, v.Description,
                v.Tags, v.GitRepository, v.GitCommit, v.ContainerImageDigest, latestCards.TryGetValue(v.Id, out var c) ? c.Completeness : null,
                aliases.Where(a => a.VersionId == v.Id).Select(a => a.Name).Order().ToList())).ToList(),
            stages.Select(s => new DossierStageChange(label.GetValueOrDefault(s.VersionId, "?"), s.From.ToString(), s.To.ToString(), s.ChangedAt, s.ChangedBy,
                s.RequestId, s.Reason)).ToList(),
            lineage,
            metrics.GroupBy(m => (m.VersionId, m.Name, m.Slice, m.Source))
                .Select(g => g.MaxBy(m => (m.RecordedAt, m.Id))!)
                .OrderBy(m => versions.FindIndex(v => v.Id == m.VersionId)).ThenBy(m => m.Name).ThenBy(m => m.Slice).ThenBy(m => m.Source)
                .Select(m => new DossierMetric(label[m.VersionId], m.Name, m.Slice, m.Source.ToString(), m.Value, m.RecordedAt)).ToList(),
            golden.Select(g => new DossierGoldenRun(g.r.Version, g.Name, g.r.Passed, g.r.CompletedAt, g.r.DatasetVersion, g.r.DatasetSha256, g.r.ModelSha256,
                g.r.Runtime, g.r.RowCount, g.r.Findings.Where(f => !f.Passed).Select(f => f.Slice.Length == 0 ? f.Metric : $"{f.Metric} ({f.Slice})").ToList())).ToList(),
            transitions,
            events,
            ExportIntegrity.For(bundle));
    }

    /// <summary>The card of the Production version, else of the newest version that has one.</summary>
    private static DossierModelCard? ModelCard(List<Guid> orderedVersions, Dictionary<Guid, ModelCardRevision> cards, Dictionary<Guid, string> label)
    {
        var id = orderedVersions.AsEnumerable().Reverse().FirstOrDefault(cards.ContainsKey);
        if (id == Guid.Empty)
            return null;
        var card = cards[id];
        var sections = ModelCardSections.All
            .Select(s => new KeyValuePair<string, string>(s.Title, card.Sections.TryGetValue(s.Key, out var text) && text.Trim().Length > 0 ? text.Trim() : "(not written)"))
            .ToList();
        return new DossierModelCard(label[id], card.Number, card.Completeness, card.CreatedAt, card.CreatedBy, sections);
    }

    private static async Task<List<DossierLineage>> LineageAsync(PortalDbContext db, List<Guid> versionIds, Dictionary<Guid, string> label, Guid teamId,
        CallerAccess? reader, CancellationToken ct)
    {
        var edges = await db.LineageEdges.AsNoTracking()
            .Where(e => versionIds.Contains(e.VersionId) || versionIds.Contains(e.UpstreamVersionId)).ToListAsync(ct);
        var others = edges.SelectMany(e => new[] { e.VersionId, e.UpstreamVersionId }).Where(id => !label.ContainsKey(id)).Distinct().ToList();
        var rows = await db.Versions.AsNoTracking().Where(v => others.Contains(v.Id))
            .Join(db.Assets, v => v.AssetId, a => a.Id, (v, a) => new { v.Id, v.Version, a.Name, a.TeamId, AssetId = a.Id })
            .Join(db.Teams, x => x.TeamId, t => t.Id, (x, t) => new { x.Id, x.TeamId, x.AssetId, t.Slug, Text = t.Slug + "/" + x.Name + "@" + x.Version })
            .ToListAsync(ct);
        var names = new Dictionary<Guid, string>();
        foreach (var row in rows)
        {
            var readable = row.TeamId == teamId || (reader is not null && await RegistryAccess.CanReadAsync(db, reader, row.Slug, row.AssetId, ct));
            names[row.Id] = readable ? row.Text : "a version of another team (restricted)";
        }
        string Name(Guid id) => label.TryGetValue(id, out var v) ? "this asset@" + v : names.GetValueOrDefault(id, id.ToString());
        return edges
            .SelectMany(e => new[]
            {
                label.ContainsKey(e.VersionId) ? new DossierLineage(label[e.VersionId], "upstream", e.Kind.ToString(), Name(e.UpstreamVersionId)) : null,
                label.ContainsKey(e.UpstreamVersionId) ? new DossierLineage(label[e.UpstreamVersionId], "downstream", e.Kind.ToString(), Name(e.VersionId)) : null,
            })
            .OfType<DossierLineage>()
            .OrderBy(l => l.Version).ThenBy(l => l.Direction).ThenBy(l => l.Other)
            .ToList();
    }

    private static async Task<List<DossierTransition>> TransitionsAsync(PortalDbContext db, Guid assetId, Dictionary<Guid, string> label, CancellationToken ct)
    {
        var requests = await db.TransitionRequests.AsNoTracking().Where(r => r.AssetId == assetId).OrderBy(r => r.Id).ToListAsync(ct);
        var ids = requests.Select(r => r.Id).ToList();
        var decisions = (await db.TransitionDecisions.AsNoTracking().Where(d => ids.Contains(d.RequestId)).ToListAsync(ct))
            .OrderBy(d => d.DecidedAt).ToLookup(d => d.RequestId);
        return requests.Select(r => new DossierTransition(r.Id, label.GetValueOrDefault(r.VersionId, "?"), r.Target, r.State.ToString(), r.RequestedBy, r.CreatedAt,
            r.Justification, r.ClosedAt, r.ClosedBy, r.CloseReason, r.IsRollbackReview,
            decisions[r.Id].Select(d => new DossierDecision(d.Approved, d.ActorName, d.Team, d.Role.ToString(), d.Comment, d.DecidedAt)).ToList(),
            LifecycleJson.ReadList<Policies.RuleResult>(r.ApplyEvaluationJson ?? r.EvaluationJson))).ToList();
    }

    private static string Subject(AuditEvent e, Dictionary<Guid, string> label) =>
        e.SubjectType == "version" && Guid.TryParse(e.SubjectId, out var v) && label.TryGetValue(v, out var name) ? "v" + name : e.SubjectType;
}
