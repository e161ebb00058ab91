using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Archiving;

/// <summary>One take of a blob's lease: <see cref="Holder"/> is the owner (a run or a restore) and a nonce of this take.</summary>
public sealed record BlobLease(string Sha256, string Holder);

/// <summary>
/// The blob's lease (<see cref="Artifacts.Blob.MovingBy"/>, <see cref="Artifacts.Blob.MovingUntil"/>). Each mover deletes the copy it moved
/// away from, so two at once (a restore beside an archive run, two workers of one run) could delete both copies: a mover holds the lease
/// from its copy to its delete, and only the holder of this very take renews it, flips the blob or deletes a copy.
/// </summary>
internal static class BlobLeases
{
    /// <summary>Long enough for a copy and a read-back of a large blob; renewed at each step, and a mover that died blocks others this long at most.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromHours(1);

    /// <summary>How long a restore waits for a move in progress before it asks the caller to come back.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Takes the lease when it is free, expired, or left by the same owner (its earlier attempt, killed, or a second worker of the same
    /// run, which then finds its own take gone); null while another owner holds it.
    /// </summary>
    public static async Task<BlobLease?> TryTakeAsync(PortalDbContext db, string sha256, string owner, DateTimeOffset now, CancellationToken ct)
    {
        var holder = $"{owner}#{Guid.NewGuid():N}";
        var prefix = owner + "#";
        var until = now + Length;
        var taken = await db.Blobs.Where(b => b.Sha256 == sha256 && (b.MovingBy == null || b.MovingBy.StartsWith(prefix) || b.MovingUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.MovingBy, holder).SetProperty(b => b.MovingUntil, until), ct);
        return taken == 1 ? new BlobLease(sha256, holder) : null;
    }

    /// <summary>Renews a lease this take still holds; false when another took it over, and the mover then leaves the blob alone.</summary>
    public static async Task<bool> RenewAsync(PortalDbContext db, BlobLease lease, DateTimeOffset now, CancellationToken ct)
    {
        var until = now + Length;
        return await db.Blobs.Where(b => b.Sha256 == lease.Sha256 && b.MovingBy == lease.Holder)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.MovingUntil, until), ct) == 1;
    }

    /// <summary>
    /// Takes the lease of every blob, in one order (two restores sharing content wait for each other instead of each holding half),
    /// waiting up to <see cref="Wait"/> for a move in progress; refused, it gives back those it took.
    /// </summary>
    public static async Task<Result<IReadOnlyList<BlobLease>>> TakeAllAsync(PortalDbContext db, IEnumerable<string> shas, string owner, TimeProvider clock,
        CancellationToken ct)
    {
        var taken = new List<BlobLease>();
        var waiting = Stopwatch.StartNew();
        foreach (var sha in shas.Distinct().Order(StringComparer.Ordinal))
        {
            var lease = await TryTakeAsync(db, sha, owner, clock.GetUtcNow(), ct);
            while (lease is null)
            {
                if (waiting.Elapsed >= Wait)
                {
                    await ReleaseAsync(db, taken);
                    return ArchivingErrors.BlobMoving;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
                lease = await TryTakeAsync(db, sha, owner, clock.GetUtcNow(), ct);
            }
            taken.Add(lease);
        }
        return taken;
    }

    // Not cancellable: a lease left behind would hold other movers off until it expires.
    public static async Task ReleaseAsync(PortalDbContext db, IEnumerable<BlobLease> leases)
    {
        foreach (var lease in leases)
        {
            await db.Blobs.Where(b => b.Sha256 == lease.Sha256 && b.MovingBy == lease.Holder)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.MovingBy, (string?)null).SetProperty(b => b.MovingUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
    }
}
