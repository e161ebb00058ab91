using Microsoft.EntityFrameworkCore;
using Portal.Core.Access;
using Portal.Core.Audit.Chain;
using Portal.Core.Audit.Checkpoints;
using Portal.Core.Audit.Verification;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Audit;

/// <summary>What an audit event is about: a subject type (<c>asset</c>, <c>version</c>...) and its id as recorded.</summary>
public sealed record AuditSubject(string Type, string Id)
{
    /// <summary>An asset and its versions: the events a dossier lists.</summary>
    public static IReadOnlyList<AuditSubject> ForAsset(Guid assetId, IEnumerable<Guid> versionIds) =>
        [new("asset", assetId.ToString()), .. versionIds.Select(v => new AuditSubject("version", v.ToString()))];
}

/// <summary>
/// Audit events with everything a reader needs to check them offline: the canonical bytes, the leaf
/// and chain hashes, the latest signed checkpoint and an RFC 6962 inclusion proof against it. Events
/// newer than the checkpoint have no proof yet (<see cref="ProvenAuditEvent.InclusionProof"/> is null).
/// </summary>
public sealed class AuditProofService(AuditTrailService trail)
{
    /// <summary>
    /// The events of a team about the given subjects, in sequence order, with proofs, on the caller's unit of work: an export reads its
    /// records and their proofs on one connection. Only the export job asks; its requester passed the export gate when it was started.
    /// </summary>
    internal async Task<Result<AuditProofBundle>> ProveAsync(PortalDbContext db, CallerAccess caller, string teamSlug, IReadOnlyCollection<AuditSubject> subjects,
        CancellationToken ct)
    {
        if (AccessGate.Check(caller, PortalAction.ViewTeam, teamSlug) is { } refused)
            return refused;
        var teamId = await db.Teams.Where(t => t.Slug == teamSlug).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(ct);
        if (teamId is null)
            return TeamErrors.NotFound(teamSlug);
        var sequences = new HashSet<long>();
        foreach (var group in subjects.GroupBy(s => s.Type))
        {
            var ids = group.Select(s => s.Id).Distinct().ToList();
            sequences.UnionWith(await db.AuditEvents.AsNoTracking()
                .Where(e => e.TeamId == teamId && e.SubjectType == group.Key && ids.Contains(e.SubjectId))
                .Select(e => e.Sequence).ToListAsync(ct));
        }
        return await ProveSequencesAsync(db, sequences, ct);
    }

    private async Task<AuditProofBundle> ProveSequencesAsync(PortalDbContext db, ISet<long> sequences, CancellationToken ct)
    {
        // The wanted events are kept as the verification streams the whole log past, in sequence order: one read, not two.
        var events = new List<AuditEvent>(sequences.Count);
        var (verifier, archive) = await trail.ReadChainAsync(ct, e =>
        {
            if (sequences.Contains(e.Sequence))
                events.Add(e);
        }, db);
        var verification = trail.Judge(verifier, archive);
        var checkpoint = archive.Latest is { } latest && latest.TreeSize <= verifier.Count ? latest : null;
        var tree = verifier.Tree();
        var proven = events.Select(e =>
        {
            var canonical = AuditCanonicalForm.Bytes(e);
            var covered = checkpoint is not null && e.Sequence <= checkpoint.TreeSize;
            return new ProvenAuditEvent(e, canonical, AuditCanonicalForm.LeafHash(canonical), e.Sequence - 1,
                covered ? tree.InclusionProof(e.Sequence - 1, checkpoint!.TreeSize) : null);
        }).ToList();
        return new AuditProofBundle(checkpoint, proven, verification);
    }
}

/// <summary>A dossier's audit section: the events, the checkpoint that covers them (null before the first) and the verification of the whole chain.</summary>
public sealed record AuditProofBundle(AuditCheckpoint? Checkpoint, IReadOnlyList<ProvenAuditEvent> Events, AuditVerificationResult Verification);

/// <summary>
/// One event with its proof material. <see cref="LeafIndex"/> is <c>Sequence - 1</c>; check with
/// <see cref="MerkleProofs.VerifyInclusion"/>(LeafHash, LeafIndex, checkpoint TreeSize, InclusionProof, checkpoint RootHash).
/// </summary>
public sealed record ProvenAuditEvent(AuditEvent Event, byte[] CanonicalBytes, byte[] LeafHash, long LeafIndex, IReadOnlyList<byte[]>? InclusionProof)
{
    public long Sequence => Event.Sequence;
    public byte[] ChainHash => Event.Hash;
}
