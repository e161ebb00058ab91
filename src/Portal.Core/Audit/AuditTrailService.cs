using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Audit.Checkpoints;
using Portal.Core.Audit.Verification;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Audit;

/// <summary>
/// Verifies the chain against the signed checkpoints, signs new checkpoints, and records each
/// verification's outcome as an audit event (the banner for PlatformAdmins and Auditors reads the latest).
/// </summary>
public sealed class AuditTrailService(IDbContextFactory<PortalDbContext> dbFactory, ICheckpointStore store, CheckpointSigner signer, TimeProvider clock)
{
    public const string VerifiedAction = "audit.verified";
    public const string VerificationFailedAction = "audit.verification-failed";

    /// <summary>Verifies now, for an Auditor or PlatformAdmin; the outcome is audited.</summary>
    public async Task<Result<AuditVerificationResult>> VerifyAsync(CallerAccess caller, CancellationToken ct)
    {
        if (AccessGate.Check(caller, PortalAction.VerifyAudit) is { } refused)
            return refused;
        return await VerifyAndRecordAsync(caller.Actor, ct);
    }

    /// <summary>The scheduled verification: a failure raises the alert (an audit event the banner shows).</summary>
    public Task<AuditVerificationResult> VerifyScheduledAsync(Actor job, CancellationToken ct) => VerifyAndRecordAsync(job, ct);

    /// <summary>The latest recorded verification, or null when none ran yet.</summary>
    public async Task<Result<AuditVerificationSummary?>> LatestVerificationAsync(CallerAccess caller, CancellationToken ct)
    {
        if (AccessGate.Check(caller, PortalAction.VerifyAudit) is { } refused)
            return refused;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == VerifiedAction || e.Action == VerificationFailedAction)
            .OrderByDescending(e => e.Sequence)
            .Select(e => new AuditVerificationSummary(e.Action == VerifiedAction, e.OccurredAt, e.After, e.Sequence))
            .FirstOrDefaultAsync(ct);
        return Result<AuditVerificationSummary?>.From(latest);
    }

    public async Task<Result<IReadOnlyList<AuditCheckpoint>>> ListCheckpointsAsync(CallerAccess caller, CancellationToken ct)
    {
        if (AccessGate.Check(caller, PortalAction.VerifyAudit) is { } refused)
            return refused;
        var archive = await CheckpointArchive.LoadAsync(store, ct);
        return Result<IReadOnlyList<AuditCheckpoint>>.From([.. archive.Checkpoints.Reverse()]);
    }

    /// <summary>One checkpoint file as stored, for download.</summary>
    public async Task<Result<byte[]>> CheckpointFileAsync(CallerAccess caller, long treeSize, CancellationToken ct)
    {
        if (AccessGate.Check(caller, PortalAction.VerifyAudit) is { } refused)
            return refused;
        var content = await store.GetAsync(AuditCheckpoint.FileNameFor(treeSize), ct);
        return content is null ? Error.NotFound("audit.checkpoint-not-found", $"No checkpoint covers exactly {treeSize} events.") : content;
    }

    /// <summary>
    /// Writes the whole log as an audit export (what the command-line verifier reads with --export); the
    /// export is itself audited. Refused before anything is written.
    /// </summary>
    public async Task<Result<long>> ExportAsync(CallerAccess caller, Stream output, CancellationToken ct)
    {
        if (AccessGate.Check(caller, PortalAction.VerifyAudit) is { } refused)
            return refused;
        long count = 0;
        await using (var read = await dbFactory.CreateDbContextAsync(ct))
        {
            async IAsyncEnumerable<AuditEvent> Counted()
            {
                await foreach (var e in read.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
                {
                    count++;
                    yield return e;
                }
            }
            await AuditExport.WriteAsync(output, Counted(), ct);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Record(caller.Actor, clock.GetUtcNow(), ExportedAction, "audit-log", "chain", after: new { Events = count });
        await db.SaveChangesAsync(ct);
        return count;
    }

    public const string ExportedAction = "audit.exported";

    /// <summary>
    /// Verifies the chain and, only when it is intact and has grown, signs its head: a broken chain is
    /// never blessed by a new signature. Safe to run twice (the same size gives the same file name).
    /// </summary>
    public async Task<AuditCheckpoint?> SignCheckpointAsync(CancellationToken ct)
    {
        var (verifier, archive) = await ReadChainAsync(ct);
        var result = verifier.Finish(archive.Checkpoints, clock.GetUtcNow(), signer.PublicKey);
        if (!result.IsValid || archive.Errors.Count > 0 || verifier.Count == 0 || verifier.Count == archive.Latest?.TreeSize)
            return null;
        var checkpoint = signer.Sign(verifier.Count, verifier.Tree().Root(), verifier.Count, verifier.HeadHash, clock.GetUtcNow());
        await store.PutAsync(checkpoint.FileName, checkpoint.ToJson(), ct);
        return checkpoint;
    }

    /// <summary>
    /// The chain verified from the database, with the checkpoints read from the store. <paramref name="observe"/>, when
    /// given, sees every event of the log once as it streams past (the proofs take theirs from this one read), including
    /// those after a break, which the verifier no longer takes.
    /// </summary>
    internal async Task<(AuditChainVerifier Verifier, CheckpointArchive Archive)> ReadChainAsync(CancellationToken ct, Action<AuditEvent>? observe = null,
        PortalDbContext? on = null)
    {
        var archive = await CheckpointArchive.LoadAsync(store, ct);
        var verifier = new AuditChainVerifier();
        var broken = false;
        await using var own = on is null ? await dbFactory.CreateDbContextAsync(ct) : null;
        var db = on ?? own!;
        await using var events = db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await events.MoveNextAsync())
                    break;
            }
            catch (Exception ex) when (AuditChainVerifier.IsUnreadableRow(ex) && !ct.IsCancellationRequested)
            {
                // A row EF Core cannot materialize (an enum or id no writer of the portal stores) ends the read as a break.
                verifier.Unreadable(ex.GetType().Name);
                break;
            }
            var e = events.Current;
            observe?.Invoke(e);
            broken = broken || !verifier.Add(e);
            if (broken && observe is null)
                break;
        }
        return (verifier, archive);
    }

    internal async Task<AuditVerificationResult> VerifyChainAsync(CancellationToken ct)
    {
        var (verifier, archive) = await ReadChainAsync(ct);
        return Judge(verifier, archive);
    }

    /// <summary>The chain's verdict, counting an unreadable stored checkpoint as a failure.</summary>
    internal AuditVerificationResult Judge(AuditChainVerifier verifier, CheckpointArchive archive)
    {
        var result = verifier.Finish(archive.Checkpoints, clock.GetUtcNow(), signer.PublicKey);
        if (result.IsValid && archive.Errors.Count > 0)
            return AuditVerificationResult.Invalid(result.EventsChecked, result.CheckpointsChecked, (archive.Latest?.TreeSize ?? 0) + 1,
                "A stored checkpoint cannot be read: " + string.Join(" ", archive.Errors), result.CheckedAt);
        return result;
    }

    private async Task<AuditVerificationResult> VerifyAndRecordAsync(Actor actor, CancellationToken ct)
    {
        var result = await VerifyChainAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Record(actor, clock.GetUtcNow(), result.IsValid ? VerifiedAction : VerificationFailedAction, "audit-log", "chain",
            after: new { result.EventsChecked, result.CheckpointsChecked, result.FirstBadSequence, result.Message });
        await db.SaveChangesAsync(ct);
        return result;
    }
}

/// <summary>The latest recorded verification: whether it passed, when, its details (JSON), and the event that holds it.</summary>
public sealed record AuditVerificationSummary(bool Passed, DateTimeOffset At, string? Details, long Sequence);
