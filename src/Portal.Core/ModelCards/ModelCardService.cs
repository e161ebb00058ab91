using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;
using Portal.Core.Versions;

namespace Portal.Core.ModelCards;

public sealed record ModelCardView(int Revision, IReadOnlyDictionary<string, string> Sections, int Completeness, DateTimeOffset? SavedAt, string? SavedBy,
    IReadOnlyList<(int Number, DateTimeOffset At, string By, int Completeness)> History, bool CanEdit);

public sealed class ModelCardService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Result<ModelCardView>> GetAsync(CallerAccess caller, string team, string asset, string version, int? revision = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ViewAsync(db, caller, team, asset, version, revision, ct);
    }

    // A save answers with the card as saved, read on the save's own connection.
    private static async Task<Result<ModelCardView>> ViewAsync(PortalDbContext db, CallerAccess caller, string team, string asset, string version, int? revision,
        CancellationToken ct)
    {
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Version.Id;
        var history = await db.ModelCardRevisions.AsNoTracking().Where(r => r.VersionId == id).OrderByDescending(r => r.Number).ToListAsync(ct);
        var shown = revision is { } n ? history.FirstOrDefault(r => r.Number == n) : history.FirstOrDefault();
        if (revision is not null && shown is null)
            return Error.NotFound("model-card.revision-not-found", $"The model card has no revision {revision}.");
        return new ModelCardView(shown?.Number ?? 0, shown?.Sections ?? [], shown?.Completeness ?? 0, shown?.CreatedAt, shown?.CreatedBy,
            history.Select(r => (r.Number, r.CreatedAt, r.CreatedBy, r.Completeness)).ToList(), caller.Allows(PortalAction.RegisterAssets, team));
    }

    /// <summary>Saves the card as a new revision; editable in any status, since documentation improves after release.</summary>
    public async Task<Result<ModelCardView>> SaveAsync(CallerAccess caller, string team, string asset, string version, IReadOnlyDictionary<string, string> sections,
        int? basedOnRevision, CancellationToken ct = default)
    {
        var unknown = sections.Keys.Where(k => !ModelCardSections.IsKnown(k)).ToList();
        if (unknown.Count > 0)
            return Error.Validation("model-card.invalid", $"Unknown sections: {string.Join(", ", unknown)}.");
        if (sections.Values.Any(v => v is null || v.Length > ModelCardRevision.MaxSectionLength || Names.TextProblem(v) is not null))
            return Error.Validation("model-card.invalid", $"A section may have at most {ModelCardRevision.MaxSectionLength} characters of printable text, tabs and line breaks.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Version.Id;
        var latest = await db.ModelCardRevisions.Where(r => r.VersionId == id).MaxAsync(r => (int?)r.Number, ct) ?? 0;
        if (basedOnRevision is { } based && based != latest)
            return Error.Conflict("model-card.stale", "Someone saved the model card since you opened it. Reload to see their changes.");
        var clean = sections.Where(s => !string.IsNullOrWhiteSpace(s.Value)).ToDictionary(s => s.Key, s => s.Value.Trim());
        var now = clock.GetUtcNow();
        var revision = new ModelCardRevision
        {
            VersionId = id, Number = latest + 1, Sections = clean, Completeness = ModelCardSections.Completeness(clean), CreatedAt = now, CreatedBy = caller.Actor.Name,
        };
        db.ModelCardRevisions.Add(revision);
        db.Record(caller.Actor, now, "model-card.revised", "version", id.ToString(), found.Value.TeamId,
            after: new { revision.Number, revision.Completeness, Sections = clean.Keys.Order().ToList() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (UniqueViolationException)
        {
            return Error.Conflict("model-card.stale", "Someone saved the model card at the same moment. Reload to see their changes.");
        }
        return await ViewAsync(db, caller, team, asset, version, null, ct);
    }
}
