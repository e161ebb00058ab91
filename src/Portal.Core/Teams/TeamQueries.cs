using Microsoft.EntityFrameworkCore;
using Portal.Core.Data;

namespace Portal.Core.Teams;

public static class TeamQueries
{
    /// <summary>The id of the team with this slug, or null when there is none.</summary>
    public static Task<Guid?> TeamIdAsync(this PortalDbContext db, string slug, CancellationToken ct) =>
        db.Teams.Where(t => t.Slug == slug).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
}
