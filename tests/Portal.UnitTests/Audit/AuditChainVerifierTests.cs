using System.Security.Cryptography;
using Portal.Core.Audit;
using Portal.Core.Audit.Chain;
using Portal.Core.Audit.Checkpoints;
using Portal.Core.Audit.Verification;
using Portal.Core.Common;

namespace Portal.UnitTests.Audit;

public sealed class AuditChainVerifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private static readonly CheckpointSigner Signer = new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>A correctly chained log, built the way the save path builds it.</summary>
    internal static List<AuditEvent> Chain(int count)
    {
        var events = new List<AuditEvent>();
        var previous = AuditCanonicalForm.GenesisHash.ToArray();
        for (var i = 1; i <= count; i++)
        {
            var e = new AuditEvent
            {
                Sequence = i, OccurredAt = Start.AddSeconds(i), ActorKind = ActorKind.User, ActorId = $"user-{i % 3}", ActorName = $"User {i % 3}",
                Action = "asset.updated", SubjectType = "asset", SubjectId = $"asset-{i % 5}", TeamId = i % 2 == 0 ? Guid.Empty : null,
                After = $$"""{"n":{{i}}}""", CorrelationId = i % 4 == 0 ? null : $"c{i}",
            };
            e.Hash = AuditCanonicalForm.ChainHash(previous, AuditCanonicalForm.Bytes(e));
            previous = e.Hash;
            events.Add(e);
        }
        return events;
    }

    internal static AuditCheckpoint CheckpointOf(IReadOnlyList<AuditEvent> events, int size) =>
        Signer.Sign(size, new MerkleTree([.. events.Take(size).Select(e => AuditCanonicalForm.LeafHash(AuditCanonicalForm.Bytes(e)))]).Root(),
            size, events[size - 1].Hash, Start.AddDays(1));

    private static AuditVerificationResult Verify(IEnumerable<AuditEvent> events, params AuditCheckpoint[] checkpoints)
    {
        var verifier = new AuditChainVerifier();
        foreach (var e in events)
        {
            if (!verifier.Add(e))
                break;
        }
        return verifier.Finish(checkpoints, Start, Signer.PublicKey);
    }

    [Fact]
    public void An_intact_chain_with_its_checkpoints_verifies()
    {
        var events = Chain(40);
        var result = Verify(events, CheckpointOf(events, 17), CheckpointOf(events, 40));
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(40, result.EventsChecked);
        Assert.Equal(2, result.CheckpointsChecked);
    }

    [Fact]
    public void An_edited_field_is_named_by_its_sequence()
    {
        var events = Chain(20);
        events[11].ActorName = "Someone else";
        var result = Verify(events);
        Assert.False(result.IsValid);
        Assert.Equal(12, result.FirstBadSequence);
    }

    [Fact]
    public void A_deleted_middle_event_is_named_as_missing()
    {
        var events = Chain(20);
        events.RemoveAt(6);
        var result = Verify(events);
        Assert.Equal(7, result.FirstBadSequence);
        Assert.Contains("Sequence 7 is missing", result.Message);
    }

    [Fact]
    public void Events_deleted_from_the_end_are_found_by_the_checkpoint_that_covered_them()
    {
        var events = Chain(20);
        var checkpoint = CheckpointOf(events, 20);
        var result = Verify(events.Take(15), checkpoint);
        Assert.Equal(16, result.FirstBadSequence);
    }

    [Fact]
    public void Swapped_events_are_named_at_the_first_of_them()
    {
        var events = Chain(20);
        (events[4].SubjectId, events[9].SubjectId) = (events[9].SubjectId, events[4].SubjectId);
        (events[4].Hash, events[9].Hash) = (events[9].Hash, events[4].Hash);
        Assert.Equal(5, Verify(events).FirstBadSequence);
    }

    [Fact]
    public void A_chain_rewritten_after_a_checkpoint_no_longer_matches_it()
    {
        var events = Chain(30);
        var early = CheckpointOf(events, 10);
        var late = CheckpointOf(events, 25);
        events[14].After = """{"n":"forged"}""";
        var previous = events[13].Hash;
        foreach (var e in events.Skip(14))
        {
            e.Hash = AuditCanonicalForm.ChainHash(previous, AuditCanonicalForm.Bytes(e));
            previous = e.Hash;
        }
        var result = Verify(events, early, late);
        Assert.False(result.IsValid);
        Assert.Equal(11, result.FirstBadSequence);
        Assert.Contains("rewritten", result.Message);
    }

    [Fact]
    public void A_checkpoint_with_a_forged_signature_fails()
    {
        var events = Chain(10);
        var good = CheckpointOf(events, 10);
        var forged = good with { Signature = [.. good.Signature.Select(b => (byte)(b ^ 1))] };
        Assert.Contains("signature is not valid", Verify(events, forged).Message);
    }

    [Fact]
    public void A_checkpoint_signed_by_another_key_fails()
    {
        var events = Chain(10);
        var other = new CheckpointSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var checkpoint = other.Sign(10, CheckpointOf(events, 10).RootHash, 10, events[9].Hash, Start);
        Assert.Contains("signed by a key other than the portal's", Verify(events, checkpoint).Message);
    }

    [Fact]
    public void Canonical_bytes_follow_the_documented_layout()
    {
        var e = new AuditEvent
        {
            Sequence = 1, OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1), ActorKind = ActorKind.Job, ActorId = "j", ActorName = "J",
            Action = "a", SubjectType = "s", SubjectId = "é",
        };
        var bytes = Convert.ToHexStringLower(AuditCanonicalForm.Bytes(e));
        var expected = "01" + "0000000000000001" + "0000000000000001"
            + "00000003" + "4a6f62" + "00000001" + "6a" + "00000001" + "4a" + "00000001" + "61" + "00000001" + "73" + "00000002" + "c3a9"
            + "ffffffff" + "ffffffff" + "ffffffff" + "ffffffff" + "ffffffff";
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("not json", "invalid JSON")]
    [InlineData("""{"format":"other"}""", "\"format\"")]
    [InlineData("""{"format":"portal-audit-checkpoint/v1","treeSize":3,"headSequence":3,"rootHash":"zz"}""", "\"rootHash\"")]
    public void A_malformed_checkpoint_file_gets_a_message_naming_the_problem(string content, string mentions)
    {
        var parsed = AuditCheckpoint.Parse(System.Text.Encoding.UTF8.GetBytes(content), "cp.json");
        Assert.Null(parsed.Checkpoint);
        Assert.Contains(mentions, parsed.Error);
        Assert.StartsWith("cp.json:", parsed.Error);
    }

    [Fact]
    public void A_checkpoint_file_round_trips()
    {
        var events = Chain(5);
        var checkpoint = CheckpointOf(events, 5);
        var parsed = AuditCheckpoint.Parse(checkpoint.ToJson(), "x").Checkpoint!;
        Assert.True(parsed.SignatureIsValid());
        Assert.Equal(checkpoint.SignedText, parsed.SignedText);
    }
}
