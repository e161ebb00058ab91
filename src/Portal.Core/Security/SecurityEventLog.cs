using Portal.Core.Access;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Security;

/// <summary>How many refused attempts are kept: per actor and address each minute, and in total.</summary>
public sealed record SecurityEventLimits(int PerActorPerMinute = 20, int MaxStored = 100_000);

public sealed record SecurityEventView(long Id, DateTimeOffset OccurredAt, ActorKind ActorKind, string ActorId, string ActorName,
    string? ClientAddress, string Action, string Resource, string Reason, string? CorrelationId);

/// <summary>
/// Records denied attempts for Auditors and PlatformAdmins to review. Any refusal point (the API's
/// 403 answers, sign-in, an authorization gate) calls <see cref="RecordDeniedAsync"/>.
/// </summary>
public sealed class SecurityEventLog(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, SecurityEventLimits limits)
{
    public const int MaxPageSize = 200;

    /// <summary>Stores the event unless this actor already filled its share from this address in the last minute.</summary>
    public async Task<bool> RecordDeniedAsync(Actor actor, string action, string resource, string reason, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var since = now.AddMinutes(-1);
        // Compared as stored, so an over-long id or address cannot slip past the cap.
        var actorId = Clip(actor.Id, 200);
        var clientAddress = actor.ClientAddress is { } address ? Clip(address, 64) : null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recent = await db.SecurityEvents.CountAsync(e => e.ActorId == actorId && e.ClientAddress == clientAddress && e.OccurredAt > since, ct);
        if (recent >= limits.PerActorPerMinute)
            return false;
        db.SecurityEvents.Add(new SecurityEvent
        {
            OccurredAt = now,
            ActorKind = actor.Kind,
            ActorId = actorId,
            ActorName = Clip(actor.Name, 200),
            ClientAddress = clientAddress,
            Action = Clip(action, SecurityEvent.MaxActionLength),
            Resource = Clip(resource, SecurityEvent.MaxResourceLength),
            Reason = Clip(reason, SecurityEvent.MaxReasonLength),
            CorrelationId = actor.CorrelationId is { } correlation ? Clip(correlation, 100) : null,
        });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Newest first; pass the returned cursor to read further back.</summary>
    public async Task<Result<Page<SecurityEventView>>> ListAsync(CallerAccess caller, string? cursor, int limit, CancellationToken ct = default)
    {
        if (AccessGate.Check(caller, PortalAction.ViewSecurityEvents) is { } denied)
            return denied;
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                return Error.Validation("request.invalid", "The cursor is not valid.", new Dictionary<string, string[]> { ["cursor"] = ["Pass the nextCursor of a previous page."] });
            before = parsed;
        }
        if (limit is < 1 or > MaxPageSize)
            return Error.Validation("request.invalid", $"The limit must be between 1 and {MaxPageSize}.", new Dictionary<string, string[]> { ["limit"] = [$"Between 1 and {MaxPageSize}."] });
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.SecurityEvents.AsNoTracking();
        if (before is { } b)
            query = query.Where(e => e.Id < b);
        var rows = await query.OrderByDescending(e => e.Id).Take(limit + 1)
            .Select(e => new SecurityEventView(e.Id, e.OccurredAt, e.ActorKind, e.ActorId, e.ActorName, e.ClientAddress, e.Action, e.Resource, e.Reason, e.CorrelationId))
            .ToListAsync(ct);
        var items = rows.Take(limit).ToList();
        return new Page<SecurityEventView>(items, rows.Count > limit ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Deletes all but the newest <see cref="SecurityEventLimits.MaxStored"/> events; returns how many went.</summary>
    public async Task<int> TrimAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var oldestKept = await db.SecurityEvents.OrderByDescending(e => e.Id).Skip(limits.MaxStored - 1).Select(e => (long?)e.Id).FirstOrDefaultAsync(ct);
        return oldestKept is { } id ? await db.SecurityEvents.Where(e => e.Id < id).ExecuteDeleteAsync(ct) : 0;
    }

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
}
