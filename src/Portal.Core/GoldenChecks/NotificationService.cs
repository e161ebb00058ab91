using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.GoldenChecks;

public sealed record NotificationView(Guid Id, string Team, string Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt);

/// <summary>Notices for a team's deciders, such as a golden check failing on a Production version: the home page shows the recent ones.</summary>
public sealed class NotificationService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int Shown = 10;

    /// <summary>The last <paramref name="window"/>'s notices of the teams whose transitions the caller may decide, newest first.</summary>
    public async Task<IReadOnlyList<NotificationView>> RecentAsync(CallerAccess caller, TimeSpan window, CancellationToken ct = default)
    {
        var teams = caller.Teams.Keys.Where(slug => caller.Allows(PortalAction.DecideTransitions, slug)).ToList();
        if (teams.Count == 0)
            return [];
        var since = clock.GetUtcNow() - window;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (from n in db.Notifications.AsNoTracking()
                          join t in db.Teams on n.TeamId equals t.Id
                          where teams.Contains(t.Slug) && n.Audience == Notification.Approvers && n.CreatedAt >= since
                          join v in db.Versions on n.SubjectId equals v.Id into versions
                          from v in versions.DefaultIfEmpty()
                          join a in db.Assets on v.AssetId equals a.Id into assets
                          from a in assets.DefaultIfEmpty()
                          orderby n.CreatedAt descending
                          select new { n, Team = t.Slug, Asset = a == null ? null : a.Name, Version = v == null ? null : v.Version }).Take(Shown).ToListAsync(ct);
        return rows.Select(r => new NotificationView(r.n.Id, r.Team, r.n.Kind, r.n.Title, r.n.Body,
            r.Asset is null ? null : $"/teams/{r.Team}/assets/{Uri.EscapeDataString(r.Asset)}/versions/{r.Version}", r.n.CreatedAt)).ToList();
    }
}
