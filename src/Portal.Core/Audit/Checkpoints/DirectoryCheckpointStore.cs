namespace Portal.Core.Audit.Checkpoints;

/// <summary>The default store: a directory (under data/ on the embedded default), ideally on other storage than the database.</summary>
public sealed class DirectoryCheckpointStore(string directory) : ICheckpointStore
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public async Task PutAsync(string name, byte[] content, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        // Written aside then moved, so a reader never sees half a checkpoint.
        var temporary = Path.Combine(Directory, $".{name}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(temporary, content, ct);
        File.Move(temporary, Path.Combine(Directory, name), overwrite: true);
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory, "checkpoint-*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : []);

    public async Task<byte[]?> GetAsync(string name, CancellationToken ct)
    {
        // Only plain names from the listing: a name with a path in it reads nothing.
        if (name != Path.GetFileName(name))
            return null;
        var path = Path.Combine(Directory, name);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : null;
    }
}
