using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Teams;

/// <summary>
/// Writes a <c>token.expired</c> audit event for each API token that lapsed, so the trail shows when
/// a credential stopped working, not only when it was made. Safe to run twice: each expiry is recorded once.
/// </summary>
public sealed class RecordExpiredApiTokensJob(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const string Id = "record-expired-api-tokens";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lapsed = await db.ApiTokens
            .Where(t => t.ExpiresAt <= now && t.RevokedAt == null && t.ExpiryRecordedAt == null)
            .OrderBy(t => t.ExpiresAt)
            .Take(500)
            .ToListAsync(ct);
        var actor = Actor.Job(Id);
        foreach (var token in lapsed)
        {
            token.ExpiryRecordedAt = now;
            db.Record(actor, now, "token.expired", "api-token", token.Id.ToString(), token.TeamId,
                after: new { token.Name, token.Prefix, token.ExpiresAt });
        }
        await db.SaveChangesAsync(ct);
        return lapsed.Count;
    }
}
