namespace Portal.Core.Audit.Checkpoints;

/// <summary>Where signed checkpoints live, outside the database: a directory by default, S3 by configuration.</summary>
public interface ICheckpointStore
{
    Task PutAsync(string name, byte[] content, CancellationToken ct);
    /// <summary>The names of the stored checkpoint files, in name order.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken ct);
    Task<byte[]?> GetAsync(string name, CancellationToken ct);
}
