namespace Portal.Core.Audit.Checkpoints;

/// <summary>The checkpoints in a store, parsed; a file that cannot be read is reported by name, not thrown.</summary>
public sealed record CheckpointArchive(IReadOnlyList<AuditCheckpoint> Checkpoints, IReadOnlyList<string> Errors)
{
    public AuditCheckpoint? Latest => Checkpoints.Count == 0 ? null : Checkpoints[^1];

    public static async Task<CheckpointArchive> LoadAsync(ICheckpointStore store, CancellationToken ct)
    {
        var checkpoints = new List<AuditCheckpoint>();
        var errors = new List<string>();
        foreach (var name in await store.ListAsync(ct))
        {
            if (!name.StartsWith("checkpoint-", StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal))
                continue;
            var content = await store.GetAsync(name, ct);
            var parsed = content is null ? CheckpointParse.Failed($"{name}: listed but could not be read.") : AuditCheckpoint.Parse(content, name);
            if (parsed.Checkpoint is { } checkpoint)
                checkpoints.Add(checkpoint);
            else
                errors.Add(parsed.Error!);
        }
        return new CheckpointArchive([.. checkpoints.OrderBy(c => c.TreeSize)], errors);
    }
}
