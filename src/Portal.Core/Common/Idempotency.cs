using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Common;

/// <summary>Idempotency-Key handling for creates: a retried request returns the first answer and creates nothing.</summary>
internal static class Idempotency
{
    public sealed record Replay(Guid ResourceId, Error? Error);

    public static async Task<Replay?> FindAsync(PortalDbContext db, CallerAccess caller, Guid teamId, string? key, string operation, object request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key))
            return null;
        var callerId = CallerId(caller);
        var record = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.CallerId == callerId && r.TeamId == teamId && r.Key == key, ct);
        if (record is null)
            return null;
        return record.Operation == operation && record.RequestHash == Hash(request)
            ? new Replay(record.ResourceId, null)
            : new Replay(record.ResourceId, RegistryErrors.IdempotencyReuse);
    }

    public static void Remember(PortalDbContext db, CallerAccess caller, Guid teamId, string? key, string operation, object request, Guid resourceId, DateTimeOffset at)
    {
        if (string.IsNullOrEmpty(key))
            return;
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            Key = key, CallerId = CallerId(caller), TeamId = teamId, Operation = operation, RequestHash = Hash(request), ResourceId = resourceId, CreatedAt = at,
        });
    }

    // The kind keeps a job's name from ever meeting a user's or a token's id.
    private static string CallerId(CallerAccess caller) => $"{caller.Actor.Kind}:{caller.Actor.Id}";

    private static string Hash(object request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request))));
}
