using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using Portal.Core.Audit;
using Portal.Core.Audit.Chain;
using Portal.Core.Audit.Checkpoints;
using Portal.Core.Audit.Verification;
using Portal.Core.Common;

namespace Portal.Benchmarks;

/// <summary>
/// Verifying a chain of N events (canonical bytes, chain hash, leaf hash, RFC 6962 tree, one signed
/// checkpoint at the head) against its floor: a bare SHA256.HashData loop over the same canonical bytes,
/// chained the same way, on the same events in memory, in the same run. Database reads are not timed:
/// this is the verifier's own cost.
/// </summary>
internal static class AuditChainBenchmark
{
    public static async Task<int> RunAsync(int events, int repeats = 7)
    {
        Console.WriteLine($"Building a chain of {events:N0} events…");
        var chain = Build(events);
        var canonical = chain.Select(AuditCanonicalForm.Bytes).ToArray();
        var bytes = canonical.Sum(c => (long)c.Length);
        var signer = new CheckpointSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var head = Verify(chain, []);
        var checkpoint = signer.Sign(events, head.Tree.Root(), events, chain[^1].Hash, DateTimeOffset.UtcNow);

        Floor(canonical);
        Verify(chain, [checkpoint]);
        var floors = new List<double>();
        var subjects = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            var last = Floor(canonical);
            floors.Add(watch.Elapsed.TotalSeconds);
            if (!last.AsSpan().SequenceEqual(chain[^1].Hash))
                throw new InvalidOperationException("The floor's chain head differs: it did not hash the same bytes.");

            watch.Restart();
            var (result, _) = Verify(chain, [checkpoint]);
            subjects.Add(watch.Elapsed.TotalSeconds);
            if (!result.IsValid || result.EventsChecked != events || result.CheckpointsChecked != 1)
                throw new InvalidOperationException("Verification did not pass: " + result.Message);
        }
        double Rate(double seconds) => events / seconds;
        var floorRates = floors.Select(Rate).Order().ToList();
        var subjectRates = subjects.Select(Rate).Order().ToList();
        var ratios = floors.Zip(subjects, (f, s) => f / s).Order().ToList();
        var report = new
        {
            benchmark = "audit-chain-verify",
            events,
            canonicalBytes = bytes,
            repeats,
            floor = new { what = "SHA256.HashData(previous ‖ canonical) loop over pre-built canonical bytes", medianEventsPerSecond = floorRates[repeats / 2], minEventsPerSecond = floorRates[0], maxEventsPerSecond = floorRates[^1] },
            verify = new { what = "AuditChainVerifier: canonical form + chain hash + leaf hash + RFC 6962 tree + checkpoint signature", medianEventsPerSecond = subjectRates[repeats / 2], minEventsPerSecond = subjectRates[0], maxEventsPerSecond = subjectRates[^1] },
            ratio = new { median = ratios[repeats / 2], min = ratios[0], max = ratios[^1], floorRequired = 0.25 },
            machine = Machine.Describe(),
        };
        var file = await BenchmarkReport.WriteAsync("audit-chain-verify", report);
        Console.WriteLine($"Floor  (SHA256.HashData loop): {floorRates[repeats / 2]:N0} events/s (repeats {floorRates[0]:N0}–{floorRates[^1]:N0})");
        Console.WriteLine($"Verify (chain + tree + checkpoint): {subjectRates[repeats / 2]:N0} events/s (repeats {subjectRates[0]:N0}–{subjectRates[^1]:N0})");
        Console.WriteLine($"Ratio: {ratios[repeats / 2]:P0} of the floor (repeats {ratios[0]:P0}–{ratios[^1]:P0}; required ≥ 25%) → {file}");
        return ratios[repeats / 2] >= 0.25 ? 0 : 1;
    }

    private static byte[] Floor(byte[][] canonical)
    {
        var buffer = new byte[32 + canonical.Max(c => c.Length)];
        var previous = new byte[32];
        foreach (var c in canonical)
        {
            previous.CopyTo(buffer, 0);
            c.CopyTo(buffer, 32);
            SHA256.HashData(buffer.AsSpan(0, 32 + c.Length), previous);
        }
        return previous;
    }

    private static (AuditVerificationResult Result, MerkleTree Tree) Verify(IReadOnlyList<AuditEvent> chain, IReadOnlyList<AuditCheckpoint> checkpoints)
    {
        var verifier = new AuditChainVerifier();
        foreach (var e in chain)
            verifier.Add(e);
        var result = verifier.Finish(checkpoints, DateTimeOffset.UtcNow);
        return (result, checkpoints.Count == 0 ? verifier.Tree() : null!);
    }

    /// <summary>Events shaped like the portal's: a user acting on a version of a team, with a JSON after-value.</summary>
    private static List<AuditEvent> Build(int count)
    {
        var events = new List<AuditEvent>(count);
        var previous = AuditCanonicalForm.GenesisHash.ToArray();
        var buffer = new ArrayBufferWriter<byte>(512);
        var team = Guid.NewGuid();
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        for (var i = 1; i <= count; i++)
        {
            var e = new AuditEvent
            {
                Sequence = i, OccurredAt = start.AddMilliseconds(i * 37L), ActorKind = ActorKind.User, ActorId = Guid.NewGuid().ToString(),
                ActorName = "Maya Contreras", Action = "transition.requested", SubjectType = "version", SubjectId = Guid.NewGuid().ToString(), TeamId = team,
                After = $$"""{"requestId":{{i}},"version":"1.{{i % 50}}.0","target":"Production","justification":"Quarterly refresh"}""",
                CorrelationId = "00-" + i.ToString("x32") + "-01", ClientAddress = "10.0.0.7",
            };
            buffer.ResetWrittenCount();
            AuditCanonicalForm.Write(e, buffer);
            e.Hash = AuditCanonicalForm.ChainHash(previous, buffer.WrittenSpan);
            previous = e.Hash;
            events.Add(e);
        }
        return events;
    }
}
